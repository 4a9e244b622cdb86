// The directive table (httpd/directive_table.hpp) against httpd's command table, its setters, create,
// merge and resolve, and README.md's directive reference: a directive cannot lack a setter, a
// default in its range, a merge or a README row that shows the same default.
#include <cppunit/extensions/HelperMacros.h>

#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <apr_general.h>
#include <apr_strings.h>

#include "httpd/directive_table.hpp"
#include "httpd/module.hpp"

using namespace myaccount::httpd;
using myaccount::defaults::Bounded;

namespace {

constexpr std::size_t directive_count = std::size(directive_table);

std::string trim(const std::string& text) {
    std::size_t first = text.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

struct ReadmeRow {
    std::string context;
    std::string fallback;
};

// The rows of README.md's "Directives" table, by directive name.
std::map<std::string, ReadmeRow> readme_directives() {
    std::ifstream in(MYACCOUNT_SOURCE_DIR "/README.md");
    std::map<std::string, ReadmeRow> rows;
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("## ", 0) == 0) inside = line == "## Directives";
        if (!inside || line.rfind("| `", 0) != 0) continue;
        std::vector<std::string> cells;
        std::stringstream cut(line);
        for (std::string cell; std::getline(cut, cell, '|');) cells.push_back(trim(cell));
        if (cells.size() < 4) continue;
        std::string name = cells[1].substr(1, cells[1].size() - 2);  // without the backticks
        rows[name] = {cells[2], cells[3]};
    }
    return rows;
}

std::string readme_context(int where) {
    if (where == RSRC_CONF) return "server, vhost";
    if (where == OR_AUTHCFG) return "directory, `.htaccess` (AuthConfig)";
    return "?";
}

// The default as README.md shows it, in backticks; "" when there is no value to show.
std::string readme_default(const Directive& directive) {
    const auto& numbers = directive.fallback.numbers;
    if (numbers[0]) {
        std::string shown = std::to_string(numbers[0]->value);
        if (numbers[1]) shown += " " + std::to_string(numbers[1]->value);
        return "`" + shown + "`";
    }
    if (!directive.fallback.word) return {};
    std::string word = directive.fallback.word;
    const std::string datadir = MYACCOUNT_DEFAULT_DATADIR;
    if (word.rfind(datadir, 0) == 0) word = "<prefix>/share/mod_myaccount" + word.substr(datadir.size());
    return "`" + word + "`";
}

bool is_data_file(const char* word) {
    return word && std::strncmp(word, MYACCOUNT_DEFAULT_DATADIR, std::strlen(MYACCOUNT_DEFAULT_DATADIR)) == 0;
}

// The number- and flag-valued settings resolve() makes.
std::vector<long long> numbers_of(const Settings& s) {
    return {static_cast<long long>(s.argon2.memory_kib), static_cast<long long>(s.argon2.iterations),
            s.lockout.threshold, s.lockout.duration, s.sessions.idle_timeout, s.sessions.max_lifetime,
            static_cast<long long>(s.password_min), static_cast<long long>(s.password_max), s.password_history, s.password_min_guesses,
            s.reset.enabled ? 1 : 0, s.reset.methods_required, s.reset.code_lifetime, s.reset.postpones,
            s.throttle.limit, s.throttle.window, static_cast<long long>(s.second_factor.requirement),
            s.second_factor.totp_window, s.second_factor.recent, s.second_factor.remember_days,
            s.second_factor.app_passwords ? 1 : 0, s.alert_new_device ? 1 : 0, s.second_factor.lockout.threshold,
            s.second_factor.lockout.duration, s.activity_retention_days, s.hsts_max_age,
            s.lockout.account_threshold, s.hash_concurrency};
}

// The text-valued settings resolve() makes.
std::vector<std::string> words_of(const Settings& s) {
    std::vector<std::string> words{s.database, s.templates, s.key_file, s.portal.issuer, s.portal.default_language,
                                   s.portal.login_action, s.portal.default_location, s.portal.portal_url,
                                   s.portal.password_change_url, s.cookie_name, s.password_blocklist,
                                   s.password_breached_hashes,
                                   s.portal.default_country, s.portal.time_zone.name};
    words.insert(words.end(), s.reset.organizations.begin(), s.reset.organizations.end());
    words.insert(words.end(), s.notify_command.begin(), s.notify_command.end());
    return words;
}

template <typename Config, typename T>
constexpr std::size_t size_of(T Config::*) {
    return sizeof(T);
}

template <typename A, typename B>
bool same_field(A a, B b) {
    if constexpr (std::is_same_v<A, B>) {
        return a == b;
    } else {
        return false;
    }
}

}  // namespace

class DirectiveTableTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DirectiveTableTest);
    CPPUNIT_TEST(httpd_gets_every_directive_with_its_setter);
    CPPUNIT_TEST(each_directive_sets_fields_that_fit_its_arguments);
    CPPUNIT_TEST(number_defaults_are_in_range);
    CPPUNIT_TEST(number_setters_accept_their_range_only);
    CPPUNIT_TEST(help_shows_the_same_range);
    CPPUNIT_TEST(every_config_field_belongs_to_a_directive);
    CPPUNIT_TEST(create_leaves_every_field_unset);
    CPPUNIT_TEST(merge_takes_each_field_from_add_else_base);
    CPPUNIT_TEST(unset_resolves_to_the_table_default);
    CPPUNIT_TEST(readme_documents_every_directive_with_its_context_and_default);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        apr_initialize();
        apr_pool_create(&pool_, nullptr);
        myaccount_module.module_index = 0;
        server_.module_config = reinterpret_cast<ap_conf_vector_t*>(module_configs_);
        use(new_server_config());
    }

    void tearDown() override {
        apr_pool_destroy(pool_);
        apr_terminate();
    }

    void httpd_gets_every_directive_with_its_setter() {
        std::set<std::string> names;
        for (std::size_t i = 0; i < directive_count; ++i) {
            const Directive& row = directive_table[i];
            const command_rec& command = directives[i];
            CPPUNIT_ASSERT_MESSAGE("row " + std::to_string(i) + " has no name", row.name);
            CPPUNIT_ASSERT_MESSAGE(row.name, names.insert(row.name).second);
            CPPUNIT_ASSERT_MESSAGE(row.name, std::strcmp(command.name, row.name) == 0);
            CPPUNIT_ASSERT_MESSAGE(row.name, command.func != nullptr);
            CPPUNIT_ASSERT_MESSAGE(row.name, command.cmd_data == &row);
            CPPUNIT_ASSERT_MESSAGE(row.name, command.req_override == row.where);
            CPPUNIT_ASSERT_MESSAGE(row.name, command.args_how == row.set.how);
            CPPUNIT_ASSERT_MESSAGE(row.name, command.errmsg && *command.errmsg);
            bool has_setter = std::visit([](auto function) { return function != nullptr; }, row.set.function);
            CPPUNIT_ASSERT_MESSAGE(std::string(row.name) + " has no setter", has_setter);
            switch (row.set.how) {
                case TAKE1:
                case ITERATE:
                    CPPUNIT_ASSERT_MESSAGE(row.name, std::holds_alternative<Setter::Take1>(row.set.function));
                    break;
                case TAKE2:
                    CPPUNIT_ASSERT_MESSAGE(row.name, std::holds_alternative<Setter::Take2>(row.set.function));
                    break;
                case FLAG:
                    CPPUNIT_ASSERT_MESSAGE(row.name, std::holds_alternative<Setter::Flag>(row.set.function));
                    break;
                default:
                    CPPUNIT_FAIL(std::string(row.name) + ": httpd calls it in a way the table has no setter for");
            }
        }
        CPPUNIT_ASSERT(directives[directive_count].name == nullptr);  // httpd stops at the null entry
    }

    void each_directive_sets_fields_that_fit_its_arguments() {
        for (const Directive& row : directive_table) {
            const bool directory = row.where == OR_AUTHCFG;
            CPPUNIT_ASSERT_MESSAGE(row.name, directory || row.where == RSRC_CONF);
            const std::size_t arguments = row.set.how == TAKE2 ? 2 : 1;
            for (std::size_t k = 0; k < row.fields.size(); ++k) {
                const Field& field = row.fields[k];
                const std::string what = std::string(row.name) + " field " + std::to_string(k);
                CPPUNIT_ASSERT_MESSAGE(what, std::holds_alternative<std::monostate>(field) == (k >= arguments));
                if (k >= arguments) continue;
                CPPUNIT_ASSERT_MESSAGE(what, std::holds_alternative<int DirConfig::*>(field) == directory);
                if (row.fallback.numbers[k] || row.set.how == FLAG)
                    CPPUNIT_ASSERT_MESSAGE(what, directory || std::holds_alternative<long ServerConfig::*>(field));
            }
            const bool numeric = row.fallback.numbers[0] != nullptr;
            CPPUNIT_ASSERT_MESSAGE(row.name, (row.fallback.numbers[1] != nullptr) == (numeric && arguments == 2));
            CPPUNIT_ASSERT_MESSAGE(row.name, !(numeric && row.fallback.word));
        }
    }

    void number_defaults_are_in_range() {
        for (const Directive& row : directive_table)
            for (const Bounded* number : row.fallback.numbers)
                if (number)
                    CPPUNIT_ASSERT_MESSAGE(row.name, number->min <= number->max && number->admits(number->value));
    }

    void number_setters_accept_their_range_only() {
        for (std::size_t i = 0; i < directive_count; ++i) {
            const Directive& row = directive_table[i];
            for (std::size_t k = 0; k < 2 && row.fallback.numbers[k]; ++k) {
                const Bounded& range = *row.fallback.numbers[k];
                const std::string refused = std::string(row.name) + ": '%s' is not a whole number from " +
                                            std::to_string(range.min) + " to " + std::to_string(range.max);
                for (long long good : {range.min, range.max}) {
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(row.name, std::string(), error_of(set_argument(i, k, good)));
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(row.name, static_cast<long>(good),
                                                 config_->*std::get<long ServerConfig::*>(row.fields[k]));
                }
                for (long long bad : {range.min - 1, range.max + 1}) {
                    std::string expected = refused;
                    expected.replace(expected.find("%s"), 2, std::to_string(bad));
                    CPPUNIT_ASSERT_EQUAL(expected, error_of(set_argument(i, k, bad)));
                }
                CPPUNIT_ASSERT_MESSAGE(row.name, !error_of(set_argument(i, k, "12abc")).empty());
            }
        }
    }

    void help_shows_the_same_range() {
        const std::regex range_in_help(R"(\((\d+)-(\d+)\))");
        for (const Directive& row : directive_table) {
            std::cmatch shown;
            if (!std::regex_search(row.help, shown, range_in_help)) continue;
            CPPUNIT_ASSERT_MESSAGE(row.name, row.fallback.numbers[0]);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(row.name, std::to_string(row.fallback.numbers[0]->min), shown[1].str());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(row.name, std::to_string(row.fallback.numbers[0]->max), shown[2].str());
        }
    }

    // Every byte of the configs is a field some directive names, so none escapes create and merge.
    // (Fields are longs or pointers, so there is no padding to tell apart.)
    void every_config_field_belongs_to_a_directive() {
        std::size_t server_bytes = sizeof(Runtime*);  // the runtime: built in post_config, never merged
        for_each_field<ServerConfig>([&](auto field) { server_bytes += size_of(field); });
        CPPUNIT_ASSERT_EQUAL_MESSAGE("ServerConfig has a field no directive names (or padding)", sizeof(ServerConfig),
                                     server_bytes);
        std::size_t dir_bytes = 0;
        for_each_field<DirConfig>([&](auto field) { dir_bytes += size_of(field); });
        CPPUNIT_ASSERT_EQUAL_MESSAGE("DirConfig has a field no directive names", sizeof(DirConfig), dir_bytes);
    }

    void create_leaves_every_field_unset() {
        const auto* server = new_server_config();
        for_each_field<ServerConfig>([&](auto field) { CPPUNIT_ASSERT(server->*field == unset_value(field)); });
        CPPUNIT_ASSERT(server->runtime == nullptr);
        const auto* dir = static_cast<DirConfig*>(create_dir_config(pool_, nullptr));
        for_each_field<DirConfig>([&](auto field) { CPPUNIT_ASSERT(dir->*field == unset_value(field)); });
    }

    void merge_takes_each_field_from_add_else_base() {
        check_merge<ServerConfig>(create_server_config, merge_server_config);
        check_merge<DirConfig>(create_dir_config, merge_dir_config);
    }

    // Setting a directive to its default changes nothing resolve() makes; setting it to another value
    // does (so the field reaches the settings, and the code's default is the table's).
    void unset_resolves_to_the_table_default() {
        const Settings unset = resolve(*new_server_config());
        for (std::size_t i = 0; i < directive_count; ++i) {
            const Directive& row = directive_table[i];
            if (row.where != RSRC_CONF) continue;
            if (row.fallback.numbers[0]) {
                use(new_server_config());
                for (std::size_t k = 0; k < 2 && row.fallback.numbers[k]; ++k)
                    CPPUNIT_ASSERT_EQUAL(std::string(), error_of(set_argument(i, k, row.fallback.numbers[k]->value)));
                CPPUNIT_ASSERT_MESSAGE(row.name, numbers_of(resolve(*config_)) == numbers_of(unset));
                for (std::size_t k = 0; k < 2 && row.fallback.numbers[k]; ++k) {
                    const Bounded& range = *row.fallback.numbers[k];
                    use(new_server_config());
                    set_argument(i, k, range.value == range.min ? range.max : range.min);
                    CPPUNIT_ASSERT_MESSAGE(row.name,
                                           numbers_of(resolve(*config_)) != numbers_of(unset));
                }
            } else if (row.set.how == FLAG) {
                const bool on = std::strcmp(row.fallback.word, "On") == 0;
                use(new_server_config());
                CPPUNIT_ASSERT_EQUAL(std::string(), error_of(call_flag(i, on)));
                CPPUNIT_ASSERT_MESSAGE(row.name, numbers_of(resolve(*config_)) == numbers_of(unset));
                use(new_server_config());
                call_flag(i, !on);
                CPPUNIT_ASSERT_MESSAGE(row.name, numbers_of(resolve(*config_)) != numbers_of(unset));
            } else if (row.fallback.word && !is_data_file(row.fallback.word) &&
                       std::strcmp(row.name, directive_name::session_cookie_name) != 0) {
                // (A cookie name set explicitly, even the default one, gets no "__Host-" on https.)
                use(new_server_config());
                CPPUNIT_ASSERT_EQUAL(std::string(), error_of(call_take1(i, row.fallback.word)));
                CPPUNIT_ASSERT_MESSAGE(row.name, words_of(resolve(*config_)) == words_of(unset));
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::string(default_templates), unset.templates);
        CPPUNIT_ASSERT_EQUAL(std::string(default_blocklist), unset.password_blocklist);
    }

    void readme_documents_every_directive_with_its_context_and_default() {
        const std::map<std::string, ReadmeRow> readme = readme_directives();
        std::set<std::string> in_table;
        for (const Directive& row : directive_table) {
            in_table.insert(row.name);
            auto documented = readme.find(row.name);
            CPPUNIT_ASSERT_MESSAGE(std::string(row.name) + " has no row in README.md's directive table",
                                   documented != readme.end());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(row.name, readme_context(row.where), documented->second.context);
            const std::string& shown = documented->second.fallback;
            const std::string expected = readme_default(row);
            if (expected.empty()) {
                CPPUNIT_ASSERT_MESSAGE(std::string(row.name) + ": README.md shows a default value the module lacks: " +
                                           shown,
                                       !shown.empty() && shown[0] != '`');
            } else {
                CPPUNIT_ASSERT_MESSAGE(std::string(row.name) + ": README.md shows " + shown + ", the table " + expected,
                                       shown.rfind(expected, 0) == 0 &&
                                           (shown.size() == expected.size() || shown[expected.size()] == ' '));
            }
        }
        for (const auto& [name, row] : readme)
            CPPUNIT_ASSERT_MESSAGE("README.md documents " + name + ", which the module does not have",
                                   in_table.count(name) == 1);
    }

private:
    ServerConfig* new_server_config() {
        return static_cast<ServerConfig*>(create_server_config(pool_, nullptr));
    }

    // Makes `config` the config the setters write to (the server's, as httpd would look it up).
    void use(ServerConfig* config) {
        config_ = config;
        module_configs_[0] = config;
    }

    cmd_parms command(std::size_t row) {
        cmd_parms cmd{};
        cmd.info = directives[row].cmd_data;
        cmd.pool = pool_;
        cmd.temp_pool = pool_;
        cmd.server = &server_;
        cmd.cmd = &directives[row];
        return cmd;
    }

    // The function httpd calls for a directive, typed back as httpd does when it calls it.
    template <typename Function>
    static Function setter_of(std::size_t row) {
        return reinterpret_cast<Function>(reinterpret_cast<void (*)()>(directives[row].func));
    }

    // Calls a directive's setter the way httpd does: through its command table entry.
    const char* call_take1(std::size_t row, const char* arg) {
        cmd_parms cmd = command(row);
        return setter_of<Setter::Take1>(row)(&cmd, &dir_, arg);
    }
    const char* call_take2(std::size_t row, const char* first, const char* second) {
        cmd_parms cmd = command(row);
        return setter_of<Setter::Take2>(row)(&cmd, &dir_, first, second);
    }
    const char* call_flag(std::size_t row, bool on) {
        cmd_parms cmd = command(row);
        return setter_of<Setter::Flag>(row)(&cmd, &dir_, on ? 1 : 0);
    }

    // Sets argument k of a number directive to `value`, the other argument (if any) to its default.
    const char* set_argument(std::size_t row, std::size_t k, const std::string& value) {
        const Directive& directive = directive_table[row];
        if (directive.set.how != TAKE2) return call_take1(row, value.c_str());
        std::string first = k == 0 ? value : std::to_string(directive.fallback.numbers[0]->value);
        std::string second = k == 1 ? value : std::to_string(directive.fallback.numbers[1]->value);
        return call_take2(row, first.c_str(), second.c_str());
    }
    const char* set_argument(std::size_t row, std::size_t k, long long value) {
        return set_argument(row, k, std::to_string(value));
    }

    static std::string error_of(const char* error) { return error ? error : ""; }

    // A value other than unset, per field type; `which` tells two apart.
    template <typename Config, typename T>
    T sentinel(T Config::*, int which) {
        if constexpr (std::is_same_v<T, const char*>) {
            return which == 1 ? "first" : "second";
        } else if constexpr (std::is_same_v<T, apr_array_header_t*>) {
            return apr_array_make(pool_, which, sizeof(const char*));
        } else if constexpr (std::is_same_v<T, char**>) {
            return &words_[which];
        } else {
            return static_cast<T>(which);
        }
    }

    template <typename Config, typename Create, typename Merge>
    void check_merge(Create create, Merge merge) {
        for_each_field<Config>([&](auto field) {
            auto* base = static_cast<Config*>(create(pool_, nullptr));
            auto* add = static_cast<Config*>(create(pool_, nullptr));
            const auto first = sentinel(field, 1);
            const auto second = sentinel(field, 2);
            add->*field = first;
            auto* merged = static_cast<Config*>(merge(pool_, base, add));
            CPPUNIT_ASSERT(merged->*field == first);
            for_each_field<Config>([&](auto other) {
                if (!same_field(other, field)) CPPUNIT_ASSERT(merged->*other == unset_value(other));
            });
            merged = static_cast<Config*>(merge(pool_, add, base));
            CPPUNIT_ASSERT(merged->*field == first);
            base->*field = second;
            merged = static_cast<Config*>(merge(pool_, base, add));
            CPPUNIT_ASSERT(merged->*field == first);
        });
    }

    apr_pool_t* pool_ = nullptr;
    server_rec server_{};
    void* module_configs_[1] = {};
    ServerConfig* config_ = nullptr;
    DirConfig dir_{-1, -1, -1};
    char* words_[3] = {};
};

CPPUNIT_TEST_SUITE_REGISTRATION(DirectiveTableTest);
