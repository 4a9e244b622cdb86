#!/usr/bin/env bash
# Every directive the module names has a README row, and every README row names a real directive:
# the reference cannot drift from the code. The directive table's own test (unit_tests
# DirectiveTableTest, run as docs_directive_table) also holds each row's context and default to the
# table, and checks that every directive has a setter, a default in its range, a create and a merge.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
names="$root/mod_myaccount/httpd/directive_names.hpp"
in_code=$(grep -o '= "MyAccount[A-Za-z0-9]*";' "$names" | tr -d '=" ;' | sort -u)
in_readme=$(grep -o '^| `MyAccount[A-Za-z0-9]*`' "$root/README.md" | tr -d '|` ' | sort -u)
passed=0 failed=0
for d in $in_code; do
  if grep -qx "$d" <<<"$in_readme"; then passed=$((passed + 1)); else echo "FAIL: $d has no row in README.md's directive table"; failed=$((failed + 1)); fi
done
for d in $in_readme; do
  grep -qx "$d" <<<"$in_code" || { echo "FAIL: README.md documents $d, which the module does not have"; failed=$((failed + 1)); }
done
# Each documented directive names its context and default (columns 2 and 3 are not empty).
while IFS= read -r row; do
  ctx=$(cut -d'|' -f3 <<<"$row" | tr -d ' '); def=$(cut -d'|' -f4 <<<"$row" | tr -d ' ')
  if [ -z "$ctx" ] || [ -z "$def" ]; then echo "FAIL: README row lacks context or default: $row"; failed=$((failed + 1)); fi
done < <(grep '^| `MyAccount' "$root/README.md")
[ -n "$in_code" ] || { echo "FAIL: no directives found in $names"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
