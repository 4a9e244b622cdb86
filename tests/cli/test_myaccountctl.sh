#!/usr/bin/env bash
# Shell-level tests of myaccountctl: exit codes, messages, stored data and JSON output.
# Usage: bash test_myaccountctl.sh PATH_TO_MYACCOUNTCTL
set -euo pipefail

CTL=${1:?usage: $0 PATH_TO_MYACCOUNTCTL}
CTL=$(cd "$(dirname "$CTL")" && pwd)/$(basename "$CTL")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DB=$WORK/accounts.db
unset MYACCOUNT_DB

passed=0
failed=0
OUT=$WORK/out
ERR=$WORK/err
RC=0

ok() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL: $*" >&2
    echo "  stdout: $(head -c 600 "$OUT")" >&2
    echo "  stderr: $(head -c 600 "$ERR")" >&2
}

# run [--stdin FILE] ARGS...: runs myaccountctl, keeps stdout/stderr in $OUT/$ERR and the status in $RC.
run() {
    local input=/dev/null
    if [[ ${1:-} == --stdin ]]; then input=$2; shift 2; fi
    set +e
    "$CTL" "$@" <"$input" >"$OUT" 2>"$ERR"
    RC=$?
    set -e
}

# expect NAME STATUS [PATTERN]: the last run exited with STATUS and (if given) printed PATTERN
# (an extended regex) on stdout or stderr.
expect() {
    local name=$1 status=$2 pattern=${3:-}
    if [[ $RC -ne $status ]]; then fail "$name: exit status $RC, expected $status"; return; fi
    if [[ -n $pattern ]] && ! grep -Eqs -- "$pattern" "$OUT" "$ERR"; then
        fail "$name: output does not match /$pattern/"; return
    fi
    ok
}

# check NAME COMMAND...: a plain shell assertion.
check() {
    local name=$1; shift
    if "$@"; then ok; else fail "$name"; fi
}

json_ok() { python3 -c 'import json,sys; json.load(sys.stdin)' <"$OUT"; }
json_eval() { python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($1) else 1)" <"$OUT"; }
sql() { sqlite3 "$DB" "$1"; }
password_file() { printf '%s\n' "$1" >"$WORK/pw"; echo "$WORK/pw"; }

# Fast argon2id for the many password tests; one account below checks the default parameters.
FAST=(--argon2-memory 8192 --argon2-iterations 1)

# --- help and usage errors
run --help;                    expect "top-level --help" 0 "Usage: myaccountctl"
run user --help;               expect "user --help" 0 "user set-password"
run org --help;                expect "org --help" 0 "add-member"
run user add --help;           expect "user add --help" 0 "--password-stdin"
run import-htpasswd --help;    expect "import-htpasswd --help" 0 "--skip-existing"
run;                           expect "no command" 2 "no command given.*--help"
run --db "$DB" frobnicate;     expect "unknown command" 2 "^myaccountctl: unknown command 'frobnicate'.*--help"
run --db "$DB" user frob x;    expect "unknown user command" 2 "unknown command 'user frob'"
run --db "$DB" user;           expect "group without command" 2 "needs a command"
run --db "$DB" user add;       expect "missing argument" 2 "needs USER"
run --db "$DB" user add a b --name X; expect "extra argument" 2 "unexpected argument 'b'"
run --db "$DB" user add bob --bogus; expect "unknown option" 2 "unknown option '--bogus'.*user add --help"
run --db "$DB" user add bob --name; expect "option without value" 2 "needs a value"
run --db "$DB" user add bob;   expect "user add without --name" 2 "needs --name"
run --db "$DB" user set-password bob; expect "set-password without --password-stdin" 2 "password-stdin"
run --db "$DB" user set bob;   expect "user set with nothing to change" 2 "nothing to change"
run user list;                 expect "missing --db" 2 "no database given.*MYACCOUNT_DB"
run --db "$DB" user list;      expect "database not created yet" 1 "does not exist.*init"
check "usage error is one line" test "$(wc -l <"$ERR")" -le 1 -o "$RC" -ne 2
run --db "$DB" user set-photo bob x --max-bytes ten; expect "non-numeric --max-bytes" 2 "whole number"

# --- init
run --db "$DB" init;           expect "init creates" 0 "^database .* at schema version [0-9]+"
check "database is private" test "$(stat -c %a "$DB")" = 600
run --db "$DB" init;           expect "init is idempotent" 0 "at schema version [0-9]+"
MYACCOUNT_DB=$DB run user list; expect "MYACCOUNT_DB" 0 "USERNAME"

# --- gen-key
run gen-key "$WORK/key";       expect "gen-key" 0 "key"
check "key file mode 0600" test "$(stat -c %a "$WORK/key")" = 600
check "key is 64 hex characters" grep -Eqx '[0-9a-f]{64}' "$WORK/key"
cp "$WORK/key" "$WORK/key.before"
run gen-key "$WORK/key";       expect "gen-key refuses to overwrite" 1 "already exists"
check "key unchanged" cmp -s "$WORK/key" "$WORK/key.before"
run gen-key;                   expect "gen-key without FILE" 2 "needs FILE"

# --- user add
PW='correct horse battery staple'
run --stdin "$(password_file "$PW")" --db "$DB" user add alice --name "Alice Example" \
    --email alice@example.org --email a.example@example.net --title Engineer --office "Room 1" --password-stdin
expect "user add with password" 0 "created user alice"
HASH=$(sql "SELECT password_hash FROM accounts WHERE username='alice'")
check "argon2id hash with default parameters" grep -q '^\$argon2id\$v=19\$m=19456,t=2,p=1\$' <<<"$HASH"
check "no cleartext password in the database" bash -c '! grep -aqF "$1" "$2"' _ "$PW" "$DB"
check "no cleartext in the sqlite dump" bash -c '! sqlite3 "$1" .dump | grep -qF "$2"' _ "$DB" "$PW"
run --db "$DB" user add alice --name Again; expect "duplicate user" 1 "^myaccountctl: user 'alice' already exists"
run --db "$DB" user add ALICE --name Again; expect "duplicate user, other case" 1 "already exists"
run --db "$DB" user add "a b" --name X; expect "bad username" 1 "invalid username 'a b'"
run --db "$DB" user add --name X -- -bob; expect "username starting with a dash" 1 "invalid username"
run --db "$DB" user add bob --name X --email not-an-address; expect "bad email" 1 "invalid e-mail address \(--email\) 'not-an-address'"
run --db "$DB" user add bob --name X --email b@x.org --email B@x.org; expect "duplicate email" 1 "given twice"
run --db "$DB" user add bob --name ""; expect "empty name" 1 "display name \(--name\) must not be empty"
run --db "$DB" user add bob --name "$(printf 'x%.0s' {1..129})"; expect "name too long" 1 "display name \(--name\) is too long: at most 128"
run --db "$DB" user add bob --name X --title "$(printf 'a\tb')"; expect "control character in title" 1 "job title \(--title\) must not contain control"
run --db "$DB" user add bob --name X --office "$(printf 'o%.0s' {1..129})"; expect "office too long" 1 "office \(--office\) is too long"
run --db "$DB" user add bob --name "$(printf '\xff\xfe')"; expect "name not UTF-8" 1 "not valid UTF-8"
check "rejected users were not created" test "$(sql "SELECT count(*) FROM accounts WHERE username IN ('bob','a b')")" = 0

run --stdin "$(password_file short)" --db "$DB" "${FAST[@]}" user add bob --name Bob --password-stdin
expect "short password" 1 "^myaccountctl: password is too short: at least 12 characters"
head -c 1000000 /dev/zero | tr '\0' 'x' >"$WORK/pw-huge"
run --stdin "$WORK/pw-huge" --db "$DB" "${FAST[@]}" user add bob --name Bob --password-stdin
expect "1 MB password" 1 "password is too long: at most 128 characters"
printf 'abcdefghijkl\xff\xfe\n' >"$WORK/pw-bad-utf8"
run --stdin "$WORK/pw-bad-utf8" --db "$DB" "${FAST[@]}" user add bob --name Bob --password-stdin
expect "password not UTF-8" 1 "password is not valid UTF-8"
printf 'abcdefghijkl\0mnop\n' >"$WORK/pw-nul"
run --stdin "$WORK/pw-nul" --db "$DB" "${FAST[@]}" user add bob --name Bob --password-stdin
expect "password with NUL" 1 "NUL"
run --stdin /dev/null --db "$DB" "${FAST[@]}" user add bob --name Bob --password-stdin
expect "no password on stdin" 1 "no password"
check "bob was never created" test "$(sql "SELECT count(*) FROM accounts WHERE username='bob'")" = 0

# The line ends at "\n" or "\r\n"; the rest of the line, spaces included, is the password.
printf '  twelve chars ok  \r\nsecond line\n' >"$WORK/pw-crlf"
run --stdin "$WORK/pw-crlf" --db "$DB" "${FAST[@]}" user add bob --name "Bob Builder" --password-stdin
expect "user add bob (CRLF password)" 0 "created user bob"
check "bob's hash uses the --argon2-* options" grep -q 'm=8192,t=1' <<<"$(sql "SELECT password_hash FROM accounts WHERE username='bob'")"
run --db "$DB" --argon2-memory 1 user add carol --name C --password-stdin --stdin-bogus
expect "argon2 option and unknown option" 2 ""
run --stdin "$(password_file "$PW")" --db "$DB" --argon2-memory 1 user add carol --name Carol --password-stdin
expect "argon2 memory too small" 2 "argon2"
run --db "$DB" user add carol --name Carol
expect "user add without password" 0 "no password"

# --- user set
run --db "$DB" user set alice --title "Principal Engineer" --email new@example.org
expect "user set" 0 "updated user alice"
run --db "$DB" user show alice --json
check "user set replaced the e-mail list" json_eval 'd["emails"] == ["new@example.org"] and d["job_title"] == "Principal Engineer" and d["office"] == "Room 1"'
run --db "$DB" user set nobody --name X; expect "user set unknown user" 1 "^myaccountctl: user 'nobody' not found"
run --db "$DB" user set alice --email bad; expect "user set bad email" 1 "invalid e-mail"

# --- set-password
OLD=$(sql "SELECT password_hash || ' ' || security_stamp FROM accounts WHERE username='alice'")
run --stdin "$(password_file 'another long passphrase')" --db "$DB" "${FAST[@]}" user set-password alice --password-stdin
expect "set-password" 0 "password set for alice"
NEW=$(sql "SELECT password_hash || ' ' || security_stamp FROM accounts WHERE username='alice'")
check "set-password changed hash and security stamp" test "${OLD#* }" != "${NEW#* }" -a "${OLD%% *}" != "${NEW%% *}"
run --stdin "$(password_file tiny)" --db "$DB" user set-password alice --password-stdin
expect "set-password short" 1 "password is too short"
# zxcvbn's estimate, with the user's own words (alice, example) in its dictionary.
run --stdin "$(password_file password1234567)" --db "$DB" user set-password alice --password-stdin
expect "set-password guessable" 1 "^myaccountctl: password is too easy to guess: fewer than 10\^8 guesses by zxcvbn's estimate; common words, names and passwords are easy to guess; add another word or two, uncommon ones; avoid sequences$"
run --stdin "$(password_file 'ex4mple 4l1ce 7')" --db "$DB" user set-password alice --password-stdin
expect "set-password with the user's name" 1 "the user ID, name or e-mail address is easy to guess; .*leave out the user ID"
check "refused passwords changed nothing" test "$(sql "SELECT password_hash || ' ' || security_stamp FROM accounts WHERE username='alice'")" = "$NEW"
run --stdin "$(password_file 'another long passphrase')" --db "$DB" user set-password nobody --password-stdin
expect "set-password unknown user" 1 "user 'nobody' not found"

# --- photos
printf '\x89PNG\r\n\x1a\n0000IHDR' >"$WORK/photo.jpg"   # PNG content, misleading name
printf 'GIF89a......' >"$WORK/photo.gif"
printf '\xff\xd8\xff\xe0JFIF' >"$WORK/photo.png"
printf 'RIFF\x10\x00\x00\x00WEBPVP8 ' >"$WORK/photo.webp"
echo "just some text" >"$WORK/not-image.png"
{ printf '\xff\xd8\xff\xe0'; head -c 1100000 /dev/zero; } >"$WORK/big.jpg"
run --db "$DB" user set-photo alice "$WORK/photo.jpg"; expect "PNG detected by content" 0 "image/png"
check "photo stored as PNG" test "$(sql "SELECT content_type FROM account_photos")" = image/png
run --db "$DB" user set-photo alice "$WORK/photo.gif"; expect "GIF" 0 "image/gif"
run --db "$DB" user set-photo alice "$WORK/photo.png"; expect "JPEG detected by content" 0 "image/jpeg"
run --db "$DB" user set-photo alice "$WORK/photo.webp"; expect "WebP" 0 "image/webp"
run --db "$DB" user set-photo alice "$WORK/not-image.png"; expect "not an image" 1 "not a JPEG, PNG, GIF or WebP image"
run --db "$DB" user set-photo alice "$WORK/big.jpg"; expect "photo too large" 1 "too large: at most 1048576 bytes"
run --db "$DB" user set-photo alice "$WORK/big.jpg" --max-bytes 2000000; expect "--max-bytes raises the limit" 0 "image/jpeg"
run --db "$DB" user set-photo alice "$WORK/photo.png" --max-bytes 4; expect "--max-bytes lowers the limit" 1 "too large"
run --db "$DB" user set-photo alice "$WORK/missing.png"; expect "missing photo file" 1 "cannot open"
run --db "$DB" user set-photo alice "$WORK"; expect "directory as photo" 1 "$WORK"
run --db "$DB" user set-photo nobody "$WORK/photo.png"; expect "photo for unknown user" 1 "user 'nobody' not found"
run --db "$DB" user show alice; expect "show lists the photo" 0 "photo: +image/jpeg"
run --db "$DB" user remove-photo alice; expect "remove-photo" 0 "photo removed"
check "photo gone" test "$(sql "SELECT count(*) FROM account_photos")" = 0
run --db "$DB" user remove-photo alice; expect "remove-photo again" 0 "has no photo"

# --- disable, enable, unlock
run --db "$DB" user disable bob; expect "disable" 0 "disabled bob"
check "bob disabled in the database" test "$(sql "SELECT disabled FROM accounts WHERE username='bob'")" = 1
run --db "$DB" user show bob --json
check "show --json says disabled" json_eval 'd["disabled"] is True'
run --db "$DB" user enable bob; expect "enable" 0 "enabled bob"
sql "UPDATE accounts SET failed_attempts = 7, locked_until = strftime('%s','now') + 3600 WHERE username='bob'"
run --db "$DB" user show bob; expect "show locked account" 0 "locked: +until "
run --db "$DB" user show bob --json
check "show --json lock fields" json_eval 'd["failed_attempts"] == 7 and d["locked_until"] > 0'
run --db "$DB" user unlock bob; expect "unlock" 0 "unlocked bob"
check "unlock reset the counters" test "$(sql "SELECT failed_attempts || ',' || locked_until FROM accounts WHERE username='bob'")" = "0,0"
run --db "$DB" user disable nobody; expect "disable unknown user" 1 "user 'nobody' not found"
run --db "$DB" user unlock nobody; expect "unlock unknown user" 1 "user 'nobody' not found"

# --- notices: set-password and disable tell the user through --notify-command, like the portal
NOTIFY="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/notify-to-file"
MAIL=$WORK/mail
MAIN_DB=$DB; DB=$WORK/notices.db  # an own database: the account lists below stay as they are
run --db "$DB" init; expect "init notices db" 0
run --db "$DB" "${FAST[@]}" user add dora --name "Dora Example" --email dora@example.org \
    --email c.example@example.net
expect "user add dora" 0 "created user dora"
# two live sessions, as the portal would have started them
add_sessions() {
    local n
    for n in 1 2; do
        sql "INSERT INTO sessions (token_hash, account_id, security_stamp, created_at, last_seen_at, expires_at)
             SELECT randomblob(32), id, security_stamp, strftime('%s','now'), strftime('%s','now'),
                    strftime('%s','now') + 3600 FROM accounts WHERE username='dora'"
    done
}
live_sessions() { sql "SELECT count(*) FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.username='dora' AND s.ended_at = 0"; }
add_sessions
run --stdin "$(password_file 'doras long passphrase')" --db "$DB" "${FAST[@]}" user set-password dora --password-stdin \
    --notify-command "$NOTIFY $MAIL"
expect "set-password tells the user" 0 "password set for dora; 2 sessions ended; notice sent to 2 addresses"
check "set-password ended the sessions" test "$(live_sessions)" = 0
check "set-password notice to each address once" test "$(grep -c '^=== email ' "$MAIL")" = 2
check "set-password notice to the profile's addresses" grep -q '^=== email c.example@example.net' "$MAIL"
check "set-password notice says what happened" grep -q 'An administrator set a new password for your account dora' "$MAIL"
check "set-password notice says it in Japanese too" grep -q '管理者がアカウント dora に新しいパスワードを設定し' "$MAIL"
check "set-password notice says when" grep -q '^When: 20[0-9-]*T[0-9:]*Z$' "$MAIL"
check "set-password notice carries no password" bash -c "! grep -q 'doras long passphrase' '$MAIL'"
rm -f "$MAIL"
add_sessions
run --db "$DB" user disable dora --notify-command "$NOTIFY $MAIL"
expect "disable tells the user" 0 "disabled dora; 2 sessions ended; notice sent to 2 addresses"
check "disable ended the sessions" test "$(live_sessions)" = 0
check "disable ended them once, as disabled" test "$(sql "SELECT count(*) FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.username='dora' AND s.end_reason = 'disabled'")" = 2
check "disable notice written" grep -q 'An administrator disabled your account dora' "$MAIL"
check "disable recorded in the audit trail" test "$(sql "SELECT count(*) FROM audit_events WHERE kind = 'account_disabled' AND user_agent = 'myaccountctl'")" = 1  # own database: dora's only
rm -f "$MAIL"
run --db "$DB" user enable dora --notify-command "$NOTIFY $MAIL"
expect "enable tells the user" 0 "enabled dora; notice sent to 2 addresses"
check "enable notice written" grep -q 'enabled your account dora again' "$MAIL"
run --db "$DB" user disable dora
expect "disable without a notifier says nothing is sent" 0 "disabled dora; 0 sessions ended; no notice sent \(no --notify-command\)"
run --db "$DB" user enable dora --notify-command "relative/notify"
expect "--notify-command must be an absolute executable" 2 "not an executable file given by its absolute path"
check "a bad --notify-command changes nothing" test "$(sql "SELECT disabled FROM accounts WHERE username='dora'")" = 1
run --db "$DB" user enable dora --notify-command /bin/false
expect "a failing notifier is a warning, not an error" 0 "notice sent to 0 addresses \(2 failed\)"
run --db "$DB" user set-password --help; expect "set-password help names --notify-command" 0 "notify-command"
DB=$MAIN_DB

# --- organizations
run --db "$DB" org add Contoso --domain contoso.example; expect "org add" 0 "created organization Contoso"
run --db "$DB" org add Fabrikam; expect "org add without domain" 0 "created organization Fabrikam"
run --db "$DB" org add contoso; expect "duplicate org" 1 "already exists"
run --db "$DB" org add Bad --domain "not a domain"; expect "bad domain" 1 "invalid domain"
run --db "$DB" org add ""; expect "empty org name" 1 "organization name must not be empty"
run --db "$DB" org list; expect "org list" 0 "contoso.example"
run --db "$DB" org list --json
check "org list --json parses" json_ok
check "org list --json content" json_eval 'sorted(o["name"] for o in d) == ["Contoso", "Fabrikam"]'
check "org list --json: nothing asked beyond the site" json_eval 'all(o["require_mfa"] == "off" for o in d)'
run --db "$DB" org require-mfa Fabrikam all; expect "require-mfa all" 0 "every member of Fabrikam must use 2-step verification"
run --db "$DB" org require-mfa fabrikam registered; expect "require-mfa registered" 0 "members of Fabrikam who registered"
run --db "$DB" org list; expect "org list shows it" 0 "Fabrikam +- +registered"
run --db "$DB" org list --json
check "org list --json require_mfa" json_eval '{o["name"]: o["require_mfa"] for o in d} == {"Contoso": "off", "Fabrikam": "registered"}'
run --db "$DB" org require-mfa Fabrikam sometimes; expect "require-mfa bad word" 1 "unknown 2-step requirement 'sometimes' \\(use off, registered or all\\)"
run --db "$DB" org require-mfa Nowhere all; expect "require-mfa unknown org" 1 "organization 'Nowhere' not found"
run --db "$DB" org require-mfa Fabrikam off; expect "require-mfa off" 0 "Fabrikam asks nothing beyond MyAccountRequireMFA"
run --db "$DB" org members-may-leave Fabrikam no; expect "members-may-leave no" 0 "guests of Fabrikam may not leave it on their own"
run --db "$DB" org list; expect "org list shows who may leave" 0 "Fabrikam +- +- +no"
run --db "$DB" org list --json
check "org list --json members_may_leave" json_eval '{o["name"]: o["members_may_leave"] for o in d} == {"Contoso": True, "Fabrikam": False}'
run --db "$DB" org members-may-leave Fabrikam yes; expect "members-may-leave yes" 0 "guests of Fabrikam may leave it from the portal"
run --db "$DB" org members-may-leave Fabrikam perhaps; expect "members-may-leave bad answer" 2 "must be yes or no"
run --db "$DB" org members-may-leave Nowhere no; expect "members-may-leave unknown org" 1 "organization 'Nowhere' not found"
run --db "$DB" org add-member Contoso alice --role Engineer; expect "add-member" 0 "added alice to Contoso as home member"
run --db "$DB" org add-member Fabrikam alice --guest; expect "add-member --guest" 0 "guest member \(role Guest\)"
run --db "$DB" org add-member Nowhere alice; expect "add-member unknown org" 1 "organization 'Nowhere' not found"
run --db "$DB" org add-member Contoso nobody; expect "add-member unknown user" 1 "user 'nobody' not found"
run --db "$DB" org add-member Contoso; expect "add-member missing USER" 2 "needs ORG USER"

# --- devices (a sign-in makes them; seeded here as the portal would)
run --db "$DB" device list alice; expect "device list none" 0 "alice has not signed in from any device yet"
sql "INSERT INTO devices (account_id, token_hash, first_seen_at, last_sign_in_at, last_ip, user_agent) VALUES
  ((SELECT id FROM accounts WHERE username='alice'), x'01', 1700000000, 1700000500, '192.0.2.7',
   'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36')"
DEVICE=$(sql "SELECT id FROM devices WHERE token_hash = x'01'")
run --db "$DB" device list alice; expect "device list" 0 "^$DEVICE +Chrome on Windows +enabled +2023-11-14T22:13:20Z +2023-11-14T22:21:40Z +192.0.2.7"
run --db "$DB" device list alice --json
check "device list --json" json_eval 'd[0]["name"] == "Chrome on Windows" and d[0]["disabled"] is False and d[0]["last_address"] == "192.0.2.7"'
run --db "$DB" device disable alice "$DEVICE"; expect "device disable" 0 "disabled device $DEVICE \(Chrome on Windows\) of alice; 0 sessions ended; no notice sent"
check "device disabled in the database" test "$(sql "SELECT disabled_at > 0 FROM devices WHERE id = $DEVICE")" = 1
check "device_disabled recorded" test "$(sql "SELECT detail FROM audit_events WHERE kind = 'device_disabled' ORDER BY id DESC LIMIT 1")" = "Chrome on Windows"
run --db "$DB" device list alice; expect "device list shows it disabled" 0 "Chrome on Windows +disabled"
run --db "$DB" device enable alice "$DEVICE"; expect "device enable" 0 "enabled device $DEVICE \(Chrome on Windows\) of alice; no notice sent"
check "device enabled in the database" test "$(sql "SELECT disabled_at FROM devices WHERE id = $DEVICE")" = 0
run --db "$DB" device enable alice 99999; expect "device enable unknown id" 1 "user 'alice' has no device with id 99999"
run --db "$DB" device disable alice abc; expect "device disable bad id" 2 "ID must be a device id"
run --db "$DB" device disable nobody 1; expect "device disable unknown user" 1 "user 'nobody' not found"
run --db "$DB" device list; expect "device list missing USER" 2 "needs USER"

# --- show and list
run --db "$DB" user show alice; expect "show text" 0 "organizations: +Contoso \(contoso.example\), home, Engineer"
check "show text never prints the hash" bash -c '! grep -qF "\$argon2id\$v" "$1"' _ "$OUT"
run --db "$DB" user show alice --json
check "show --json parses" json_ok
check "show --json has the stable keys" json_eval 'set(d) == {"username","display_name","job_title","office","emails","disabled","locked_until","failed_attempts","organizations","methods","created_at","updated_at"}'
check "show --json memberships" json_eval 'sorted((o["name"], o["kind"], o["role"], o["domain"]) for o in d["organizations"]) == [("Contoso","home","Engineer","contoso.example"), ("Fabrikam","guest","Guest","")]'
check "show --json has no hash" bash -c '! grep -q "\$argon2" "$1"' _ "$OUT"
run --db "$DB" user show nobody; expect "show unknown user" 1 "^myaccountctl: user 'nobody' not found"
run --db "$DB" user show nobody --json; expect "show --json unknown user" 1 "not found"
run --db "$DB" user list; expect "list text" 0 "carol .* no password"
run --db "$DB" user list --json
check "list --json parses" json_ok
check "list --json content" json_eval 'sorted(a["username"] for a in d) == ["alice", "bob", "carol"] and all("password_hash" not in a for a in d)'

# --- password-reset methods and the audit trail
# An administrator's set-password is in the user's audit trail (with this tool as the client).
check "set-password recorded in the audit trail" test "$(sql "SELECT count(*) > 0 FROM audit_events WHERE kind = 'password_set_by_admin' AND user_agent = 'myaccountctl'")" = 1
sql "DELETE FROM audit_events"  # the method and event tests below start from an empty trail

# Users register methods on the web with a code; here the rows are seeded directly.
account_id() { sql "SELECT id FROM accounts WHERE username='$1'"; }
ALICE=$(account_id alice)
BOB=$(account_id bob)
run --db "$DB" user methods alice; expect "methods: none yet" 0 "^alice has no password-reset methods$"
run --db "$DB" user methods alice --json
check "methods --json: none yet" json_eval 'd == []'
sql "INSERT INTO verification_methods (account_id, kind, address, created_at) VALUES
     ($ALICE, 'email', 'alice@home.example', 1714564800),
     ($ALICE, 'email', 'lost@phone.example', 1714651200),
     ($BOB, 'email', 'bob@home.example', 1714564800)"
LOST=$(sql "SELECT id FROM verification_methods WHERE address='lost@phone.example'")
BOBS=$(sql "SELECT id FROM verification_methods WHERE address='bob@home.example'")
run --db "$DB" user methods alice; expect "methods text" 0 "^ID +KIND +ADDRESS +ADDED"
check "methods text rows, oldest first" bash -c 'sed -n 2,3p "$1" | grep -Eq "email +alice@home.example +2024-05-01T12:00:00Z" && sed -n 3p "$1" | grep -Eq "^$2 +email +lost@phone.example +2024-05-02T12:00:00Z"' _ "$OUT" "$LOST"
check "methods text: only alice's" bash -c '! grep -q bob@ "$1"' _ "$OUT"
run --db "$DB" user methods alice --json
check "methods --json" json_eval "[(m['id'], m['kind'], m['address'], m['created_at']) for m in d][1] == ($LOST, 'email', 'lost@phone.example', 1714651200) and len(d) == 2 and all(set(m) == {'id','kind','address','label','created_at','suspended_at'} and m['suspended_at'] == 0 for m in d)"
run --db "$DB" user show alice; expect "show counts the methods" 0 "reset methods: +2"
run --db "$DB" user show alice --json
check "show --json counts the methods" json_eval 'd["methods"] == 2'
run --db "$DB" user list --json
check "list --json counts the methods" json_eval '{a["username"]: a["methods"] for a in d} == {"alice": 2, "bob": 1, "carol": 0}'
run --db "$DB" user methods nobody; expect "methods unknown user" 1 "^myaccountctl: user 'nobody' not found"
run --db "$DB" user methods; expect "methods without USER" 2 "needs USER"

run --db "$DB" user remove-method alice "$BOBS"; expect "remove another user's method" 1 "^myaccountctl: user 'alice' has no password-reset method with id $BOBS$"
run --db "$DB" user remove-method alice 999999; expect "remove unknown method id" 1 "has no password-reset method with id 999999"
run --db "$DB" user remove-method nobody "$LOST"; expect "remove-method unknown user" 1 "^myaccountctl: user 'nobody' not found"
run --db "$DB" user remove-method alice x; expect "remove-method non-numeric ID" 2 "ID must be a method id.*not 'x'.*user remove-method --help"
run --db "$DB" user remove-method alice 0; expect "remove-method ID 0" 2 "ID must be a method id"
run --db "$DB" user remove-method alice 99999999999999999999; expect "remove-method huge ID" 2 "ID must be a method id"
run --db "$DB" user remove-method alice; expect "remove-method without ID" 2 "needs USER ID"
check "failed removals removed nothing and recorded nothing" test "$(sql "SELECT count(*) FROM verification_methods"),$(sql "SELECT count(*) FROM audit_events")" = "3,0"
run --db "$DB" user remove-method alice "$LOST"; expect "remove-method" 0 "^removed email method $LOST \(lost@phone.example\) from alice$"
check "the method is gone, the others stay" test "$(sql "SELECT group_concat(address, ',') FROM (SELECT address FROM verification_methods ORDER BY address)")" = "alice@home.example,bob@home.example"
check "removal recorded in the audit trail" test "$(sql "SELECT account_id || '|' || kind || '|' || client_ip || '|' || user_agent || '|' || detail FROM audit_events")" = "$ALICE|method_removed||myaccountctl|lost@phone.example"
check "removal recorded now" test "$(sql "SELECT abs(at - strftime('%s','now')) < 600 FROM audit_events")" = 1
run --db "$DB" user remove-method alice "$LOST"; expect "remove-method twice" 1 "has no password-reset method with id $LOST"

sql "INSERT INTO audit_events (account_id, at, kind, client_ip, user_agent, detail) VALUES
     ($ALICE, 1714564800, 'method_added', '192.0.2.10', 'Mozilla/5.0 (X11; Linux x86_64)', 'alice@home.example'),
     ($ALICE, 1714651200, 'password_changed', '2001:db8::1', 'curl/8.0$(printf '\033')[31m', ''),
     ($BOB, 1714564800, 'password_reset', '192.0.2.20', 'Mozilla/5.0', '')"
run --db "$DB" user events alice; expect "events text" 0 "^TIME +KIND +CLIENT +DETAIL +USER AGENT"
check "events text newest first" bash -c 'sed -n 2p "$1" | grep -Eq "^[0-9-]{10}T[0-9:]{8}Z +method_removed +- +lost@phone.example +myaccountctl$" && sed -n 3p "$1" | grep -Eq "^2024-05-02T12:00:00Z +password_changed +2001:db8::1 +- +curl/8.0" && sed -n 4p "$1" | grep -Eq "^2024-05-01T12:00:00Z +method_added +192.0.2.10 +alice@home.example +Mozilla/5.0 \(X11; Linux x86_64\)$"' _ "$OUT"
check "events text: only alice's, no more lines" test "$(wc -l <"$OUT")" = 4
check "events text: control characters not echoed" bash -c '! grep -q "$(printf "\033")" "$1"' _ "$OUT"
run --db "$DB" user events alice --json
check "events --json parses" json_ok
check "events --json newest first" json_eval '[e["kind"] for e in d] == ["method_removed", "password_changed", "method_added"] and all(set(e) == {"id","at","kind","client_ip","user_agent","detail"} for e in d)'
check "events --json fields" json_eval 'd[0]["client_ip"] == "" and d[0]["user_agent"] == "myaccountctl" and d[0]["detail"] == "lost@phone.example" and d[2] == dict(d[2], at=1714564800, client_ip="192.0.2.10", detail="alice@home.example")'
run --db "$DB" user events alice --limit 2 --json
check "events --limit 2" json_eval '[e["kind"] for e in d] == ["method_removed", "password_changed"]'
run --db "$DB" user events alice --limit 1; expect "events --limit says more exist" 0 "newest 1 shown"
check "events --limit 1 text rows" test "$(grep -c _ "$OUT")" = 1
run --db "$DB" user events alice --limit 3; expect "events --limit exact" 0 "method_added"
check "no 'more' note when all are shown" bash -c '! grep -q "shown" "$1"' _ "$OUT"
run --db "$DB" user events carol; expect "events: none" 0 "^no events recorded for carol$"
run --db "$DB" user events carol --json
check "events --json: none" json_eval 'd == []'
run --db "$DB" user events alice --limit 0; expect "events --limit 0" 2 "'--limit' must be between 1 and 1000.*user events --help"
run --db "$DB" user events alice --limit 1001; expect "events --limit 1001" 2 "between 1 and 1000"
run --db "$DB" user events alice --limit ten; expect "events --limit ten" 2 "'--limit' needs a whole number"
run --db "$DB" user events alice --limit; expect "events --limit without value" 2 "needs a value"
run --db "$DB" user events nobody; expect "events unknown user" 1 "^myaccountctl: user 'nobody' not found"
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1100)
     INSERT INTO audit_events (account_id, at, kind) SELECT $BOB, 1700000000 + i, 'password_changed' FROM n"
run --db "$DB" user events bob --json
check "events: 50 by default" json_eval 'len(d) == 50 and d[0]["at"] == 1714564800 and d[1]["at"] == 1700001100'
run --db "$DB" user events bob --json --limit 1000
check "events --limit 1000" json_eval 'len(d) == 1000 and d[-1]["at"] == 1700000102'

# --- import-htpasswd
htpasswd -nbB dave 'dave password 1' >"$WORK/users.htpasswd"
htpasswd -nbm erin 'erin password 2' >>"$WORK/users.htpasswd"
htpasswd -nbs frank 'frank password' >>"$WORK/users.htpasswd"
printf '# a comment\n\n' >>"$WORK/users.htpasswd"
run --db "$DB" import-htpasswd "$WORK/users.htpasswd"; expect "import-htpasswd" 0 "imported 3 accounts"
for u in dave erin frank; do
    check "$u's htpasswd hash kept unchanged" test "$(sql "SELECT password_hash FROM accounts WHERE username='$u'")" = \
        "$(grep "^$u:" "$WORK/users.htpasswd" | cut -d: -f2)"
done
check "bcrypt hash imported" grep -q '^\$2y\$' <<<"$(sql "SELECT password_hash FROM accounts WHERE username='dave'")"
check "apr1 hash imported" grep -q '^\$apr1\$' <<<"$(sql "SELECT password_hash FROM accounts WHERE username='erin'")"
run --db "$DB" import-htpasswd "$WORK/users.htpasswd"; expect "import again: conflicts" 1 "3 users already exist; nothing imported"
run --db "$DB" import-htpasswd "$WORK/users.htpasswd" --skip-existing; expect "import --skip-existing" 0 "imported 0 accounts.*skipped 3 existing users"

{
    htpasswd -nbB gina 'gina password 1'
    echo "no colon here"
    echo "bad user:\$apr1\$abcdefgh\$0123456789012345678901"
    echo "harry:plaintextpassword"
    htpasswd -nbm gina 'gina again password'
    htpasswd -nbm ivan 'ivan password 12'
} | grep -v '^$' >"$WORK/mixed.htpasswd"
run --db "$DB" import-htpasswd "$WORK/mixed.htpasswd"; expect "import with bad lines fails" 1 "4 invalid lines; nothing imported"
check "bad lines reported with line numbers" bash -c 'grep -q "mixed.htpasswd:2: expected user:hash" "$1" && grep -q ":3: invalid username" "$1" && grep -q ":4: unsupported password hash" "$1" && grep -q ":5: .gina. already appears on line 1" "$1"' _ "$ERR"
check "no cleartext echoed for bad lines" bash -c '! grep -q plaintextpassword "$1"' _ "$ERR"
check "nothing imported from the bad file" test "$(sql "SELECT count(*) FROM accounts WHERE username IN ('gina','ivan')")" = 0
run --db "$DB" import-htpasswd "$WORK/mixed.htpasswd" --skip-invalid; expect "import --skip-invalid" 0 "imported 2 accounts.*4 invalid lines"
check "valid lines imported with --skip-invalid" test "$(sql "SELECT count(*) FROM accounts WHERE username IN ('gina','ivan')")" = 2

# A failed import leaves the account list exactly as it was, whether the failure is found up front
# or by the database part-way through the batch.
run --db "$DB" user list; cp "$OUT" "$WORK/list-before"
list_unchanged() { run --db "$DB" user list && cmp -s "$WORK/list-before" "$OUT"; }
{
    htpasswd -nbB kate 'kate password 1'
    htpasswd -nbm Dave 'dave password 9'
    htpasswd -nbm lena 'lena password 1'
} | grep -v '^$' >"$WORK/clash.htpasswd"
run --db "$DB" import-htpasswd "$WORK/clash.htpasswd"; expect "import with an existing user fails" 1 "clash.htpasswd:2: user 'Dave' already exists"
check "failed import (existing user) leaves user list unchanged" list_unchanged
# A new user that someone else creates between the up-front check and the batch: simulated by a
# trigger that adds MIKE when kate goes in, so the batch's own 'mike' clashes after kate and lena.
{
    htpasswd -nbB kate 'kate password 1'
    htpasswd -nbm lena 'lena password 1'
    htpasswd -nbm mike 'mike password 1'
} | grep -v '^$' >"$WORK/race.htpasswd"
sql "CREATE TRIGGER test_race AFTER INSERT ON accounts WHEN NEW.username = 'kate'
     BEGIN INSERT INTO accounts (username, created_at, updated_at) VALUES ('MIKE', 1, 1); END;"
run --db "$DB" import-htpasswd "$WORK/race.htpasswd" --skip-existing
expect "import failing part-way" 1 "race.htpasswd: username already taken: mike; nothing imported"
check "no re-run advice for a partial import" bash -c '! grep -q "re-run" "$1"' _ "$ERR"
check "failed import (part-way) leaves user list unchanged" list_unchanged
check "failed import (part-way) left no account behind" test "$(sql "SELECT count(*) FROM accounts WHERE username IN ('kate','lena','mike')")" = 0
sql "CREATE TRIGGER test_refuse AFTER INSERT ON accounts WHEN NEW.username = 'lena'
     BEGIN SELECT RAISE(ABORT, 'simulated database failure'); END;"
sql "DROP TRIGGER test_race"
run --db "$DB" import-htpasswd "$WORK/race.htpasswd"; expect "import with a database failure" 1 "simulated database failure.*nothing imported"
check "failed import (database error) leaves user list unchanged" list_unchanged
sql "DROP TRIGGER test_refuse"
run --db "$DB" import-htpasswd "$WORK/none.htpasswd"; expect "import missing file" 1 "cannot open"
run --db "$DB" import-htpasswd; expect "import without FILE" 2 "needs FILE"

# --- the other kinds of method: kind and label shown; a pending authenticator is removable too
CAROL=$(account_id carol)
sql "INSERT INTO verification_methods (account_id, kind, label, secret, active, created_at) VALUES
     ($CAROL, 'authenticator', 'Pixel 8', x'01', 1, 1714564800),
     ($CAROL, 'authenticator', '', x'02', 0, 1714651200)"
PENDING=$(sql "SELECT id FROM verification_methods WHERE account_id=$CAROL AND active=0")
run --db "$DB" user methods carol; expect "methods of other kinds" 0 "^ID +KIND +ADDRESS +ADDED +STATE +LABEL"
check "authenticator row: kind and label, no address, pending one not listed" bash -c 'sed -n 2p "$1" | grep -Eq " +authenticator +- +2024-05-01T12:00:00Z +active +Pixel 8$" && test "$(wc -l <"$1")" = 2' _ "$OUT"
run --db "$DB" user methods carol --json
check "methods --json has the label" json_eval "[(m['kind'], m['address'], m['label']) for m in d] == [('authenticator', '', 'Pixel 8')]"
run --db "$DB" user remove-method carol "$PENDING"; expect "remove a pending authenticator" 0 "^removed authenticator method $PENDING from carol$"
check "pending authenticator gone" test "$(sql "SELECT count(*) FROM verification_methods WHERE account_id=$CAROL")" = 1

# --- the account list stays parseable after all of the above
run --db "$DB" user list --json
check "final list --json" json_eval 'len(d) == 8'

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
