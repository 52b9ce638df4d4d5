// Runs the catalogue of bad input and faults (cases.toml): one row per call, so CTest names and
// parallelises them.
//
//   landquota_catalogue baselines TABLE ROOT    run the good job of every base into ROOT/baselines
//   landquota_catalogue list TABLE              print the row ids
//   landquota_catalogue case TABLE ROOT ID      run one row; exit 0 when every assertion holds,
//                                               77 when its fault cannot be made here
//
// A row copies its base's folder (inputs, the good run's out/ and ledger.sqlite), spoils it by
// its recipe, runs its command against the same output folder and ledger, and checks the exit
// code, the message and the invariants (README.md).
#include "catalogue.hpp"
#include "io/sha256.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <iostream>
#include <map>
#include <set>
#include <sqlite3.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace landquota;
using namespace landquota::test;
using namespace landquota::test::catalogue;

namespace {

constexpr int kSkip = 77; // CTest's SKIP_RETURN_CODE for this runner

struct Outcome {
    int status = 0; // the exit code, or -signal when killed
    std::string out, err;
};

// Every file and folder under `dir` with the SHA-256 of its bytes; {} when `dir` is absent.
std::map<std::string, std::string> tree(const fs::path& dir) {
    std::map<std::string, std::string> t;
    if (!fs::exists(dir))
        return t;
    if (!fs::is_directory(dir))
        return {{".", sha256_file(dir)}};
    for (const auto& e : fs::recursive_directory_iterator(dir))
        t[fs::relative(e.path(), dir).string()] =
            e.is_directory() ? "<folder>" : sha256_file(e.path());
    return t;
}

std::string file_hash(const fs::path& f) {
    return fs::exists(f) ? sha256_file(f) : "<absent>";
}

// Hidden ".NAME.tmp-PID" / ".NAME.old-PID" folders a run leaves when it fails to clean up.
std::vector<std::string> temporaries(const fs::path& dir) {
    std::vector<std::string> t;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string n = e.path().filename().string();
        if (n.starts_with(".") &&
            (n.find(".tmp-") != std::string::npos || n.find(".old-") != std::string::npos))
            t.push_back(n);
    }
    return t;
}

std::int64_t ledger_entries(const fs::path& ledger) {
    sqlite3* db = nullptr;
    std::int64_t n = -1;
    if (sqlite3_open_v2(ledger.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM entries", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Runs argv[0] with the rest, stdout and stderr to files; `kill_after_ms` >= 0 sends SIGKILL then.
Outcome run(const std::vector<std::string>& argv, const fs::path& logs,
            const std::map<std::string, std::string>& env = {}, int kill_after_ms = -1) {
    const fs::path out = logs.string() + ".stdout", err = logs.string() + ".stderr";
    const pid_t child = fork();
    if (child == 0) {
        for (const auto& [k, v] : env)
            setenv(k.c_str(), v.c_str(), 1);
        const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        std::vector<char*> a;
        for (const auto& s : argv)
            a.push_back(const_cast<char*>(s.c_str()));
        a.push_back(nullptr);
        execv(a[0], a.data());
        _exit(127);
    }
    if (kill_after_ms >= 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
        kill(child, SIGKILL);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status), read_file(out),
            read_file(err)};
}

std::vector<std::string> landquota_argv(const Case& c, const Places& p) {
    std::vector<std::string> argv{LANDQUOTA_BINARY};
    for (const auto& a : c.command)
        argv.push_back(p.expand(a));
    return argv;
}

std::string shell_line(const std::vector<std::string>& argv) {
    std::string s;
    for (const auto& a : argv)
        s += quoted(a) + " ";
    return s;
}

class Checks {
  public:
    explicit Checks(std::string id) : id_(std::move(id)) {}
    void expect(bool ok, const std::string& what) {
        if (!ok) {
            std::cout << "FAILED " << id_ << ": " << what << "\n";
            ++failed_;
        }
    }
    int failed() const { return failed_; }

  private:
    std::string id_;
    int failed_ = 0;
};

// A complete run of the row's command on a fresh copy of its base, made once per base, recipe
// and command and kept under ROOT/references (rows run in parallel: made aside, then renamed).
fs::path reference_run(const Case& c, const fs::path& root, const fs::path& baseline) {
    std::string key = c.base;
    for (const auto& step : c.recipe)
        for (const auto& a : step)
            key += "\n" + a;
    for (const auto& a : c.command)
        key += "\n" + a;
    const fs::path ref = root / "references" / sha256_bytes(key).substr(0, 16);
    if (fs::exists(ref / "done"))
        return ref;
    const fs::path tmp = ref.string() + ".tmp-" + std::to_string(::getpid());
    fs::remove_all(tmp);
    fs::create_directories(tmp.parent_path());
    fs::copy(baseline, tmp, fs::copy_options::recursive);
    const Places rp{tmp, tmp / "out", tmp / "ledger.sqlite"};
    for (const auto& step : c.recipe)
        apply_step(step, rp);
    const Outcome full = run(landquota_argv(c, rp), tmp.string() + ".log");
    if (full.status != 0)
        throw std::runtime_error("case '" + c.id + "': the uninterrupted run failed:\n" + full.err);
    // Paths inside the outputs name the folder they were made in; only file names and the
    // ledger's entry count are compared, so the move does not matter.
    write_file(tmp / "done", "");
    std::error_code ec;
    fs::rename(tmp, ref, ec);
    if (ec) // another row made it first
        fs::remove_all(tmp);
    return ref;
}

int run_case(const Case& c, const fs::path& root) {
    const fs::path baseline = root / "baselines" / c.base;
    if (!fs::exists(baseline / "out"))
        make_baseline(c.base, root / "baselines");
    const fs::path dir = root / "cases" / c.id;
    fs::remove_all(dir);
    fs::create_directories(dir.parent_path());
    fs::copy(baseline, dir, fs::copy_options::recursive);
    Places places{dir, dir / "out", dir / "ledger.sqlite"};
    for (const auto& step : c.recipe)
        apply_step(step, places);
    const auto out_before = tree(places.out);
    const std::string ledger_before = file_hash(places.ledger);
    const std::int64_t entries_before = ledger_entries(places.ledger);

    // Where the invariants are checked afterwards: the case folder, or the copy a fault
    // running in a private mount namespace brought back.
    Places after = places;
    Outcome r;
    const fs::path logs = root / "cases" / (c.id + ".log");
    const std::string fault = c.fault.substr(0, c.fault.find(':'));
    const std::string fault_arg =
        c.fault.find(':') == std::string::npos ? "" : c.fault.substr(c.fault.find(':') + 1);
    if (fault.empty()) {
        r = run(landquota_argv(c, places), logs);
    } else if (fault == "kill-at") {
        r = run(landquota_argv(c, places), logs, {{"LANDQUOTA_CRASH_AT", fault_arg}});
    } else if (fault == "kill-after-ms") {
        r = run(landquota_argv(c, places), logs, {}, std::stoi(fault_arg));
    } else if (fault == "read-only" || fault == "full-disk") {
        if (geteuid() != 0) {
            std::cout << "skipped " << c.id << ": mounts in a private namespace need root\n";
            return kSkip;
        }
        std::ostringstream sh;
        sh << "set -u\n";
        if (fault == "read-only") {
            const std::string p = quoted(places.expand(fault_arg));
            sh << "mount --bind " << p << " " << p << " && mount -o remount,bind,ro " << p
               << " || exit " << kSkip << "\n"
               << "exec " << shell_line(landquota_argv(c, places)) << "\n";
        } else {
            // The previous output and ledger on a small tmpfs of their own, filled up to
            // `fault_arg` KiB free: the run's temporary folder and ledger journal live there.
            const fs::path disk = root / "cases" / (c.id + ".disk");
            const fs::path back = root / "cases" / (c.id + ".after");
            fs::remove_all(back);
            fs::create_directories(disk);
            Places on_disk{dir, disk / "out", disk / "ledger.sqlite"};
            after = Places{dir, back / "out", back / "ledger.sqlite"};
            const std::string d = quoted(disk.string());
            sh << "used=$(du -sk " << quoted(places.out.string()) << " | cut -f1)\n"
               << "[ -e " << quoted(places.ledger.string()) << " ] && used=$((used + $(du -sk "
               << quoted(places.ledger.string()) << " | cut -f1)))\n"
               << "mount -t tmpfs -o size=$((used + " << std::stoi(fault_arg)
               << " + 4096))k landquota-full-disk " << d << " || exit " << kSkip << "\n"
               << "cp -a " << quoted(places.out.string()) << " " << d << "/\n"
               << "[ -e " << quoted(places.ledger.string()) << " ] && cp -a "
               << quoted(places.ledger.string()) << " " << d << "/\n"
               << "dd if=/dev/zero of=" << d << "/.filler bs=64k 2>/dev/null\n"
               << "truncate -s -" << std::stoi(fault_arg) << "K " << d << "/.filler\n"
               << shell_line(landquota_argv(c, on_disk)) << "\n"
               << "rc=$?\nrm -f " << d << "/.filler\nmkdir " << quoted(back.string())
               << " && cp -a " << d << "/. " << quoted(back.string()) << "/\nexit $rc\n";
        }
        write_file(logs.string() + ".sh", sh.str());
        r = run({"/usr/bin/unshare", "-m", "/bin/sh", logs.string() + ".sh"}, logs);
        if (r.status == kSkip) {
            std::cout << "skipped " << c.id << ": cannot mount here: " << r.err << "\n";
            return kSkip;
        }
    } else {
        throw std::runtime_error("case '" + c.id + "': unknown fault '" + c.fault + "'");
    }

    Checks check(c.id);
    std::cout << "landquota " << shell_line(landquota_argv(c, places)) << "\n"
              << "exit " << r.status << "\nstderr:\n"
              << r.err << "stdout:\n"
              << r.out << "\n";
    check.expect(r.status == c.exit_code,
                 "exit " + std::to_string(r.status) + ", expected " + std::to_string(c.exit_code));
    const std::string said = r.err + "\n" + r.out;
    for (const auto& fragment : c.message)
        check.expect(said.find(after.expand(fragment)) != std::string::npos,
                     "the message does not contain '" + after.expand(fragment) + "'");
    for (const auto& inv : c.invariants) {
        if (inv == "output")
            check.expect(tree(after.out) == out_before, "the previous output folder changed");
        else if (inv == "ledger")
            check.expect(file_hash(after.ledger) == ledger_before, "the ledger changed");
        else if (inv == "no-temp")
            for (const auto& t : temporaries(after.out.parent_path()))
                check.expect(false, "a temporary folder was left: " + t);
        else if (inv == "atomic") {
            // What a complete run gives, from another copy of the base (shared by the rows
            // that kill the same command on the same recipe: it is a whole run each time).
            const fs::path ref = reference_run(c, root, baseline);
            const Places rp{ref, ref / "out", ref / "ledger.sqlite"};
            const bool ledger_same = file_hash(after.ledger) == ledger_before;
            const std::int64_t n = ledger_entries(after.ledger);
            // A ledger file made by the killed run but holding no entry is as good as none.
            const bool nothing_added = n == std::max<std::int64_t>(entries_before, 0);
            check.expect(ledger_same || nothing_added || n == ledger_entries(rp.ledger),
                         "the ledger holds part of a run: " + std::to_string(entries_before) +
                             " entries before, " + std::to_string(n) + " after, " +
                             std::to_string(ledger_entries(rp.ledger)) + " after a whole run");
            if (fs::exists(after.ledger))
                check.expect(run({LANDQUOTA_BINARY, "audit", "verify", after.ledger.string()},
                                 logs.string() + ".verify")
                                     .status == 0,
                             "audit verify fails on the ledger");
            const auto now = tree(after.out);
            std::set<std::string> names, ref_names;
            for (const auto& [k, v] : now)
                names.insert(k);
            for (const auto& [k, v] : tree(rp.out))
                ref_names.insert(k);
            const auto manifest = [](const std::map<std::string, std::string>& t) {
                const auto it = t.find("manifest.json");
                return it == t.end() ? std::string() : it->second;
            };
            check.expect(now == out_before ||
                             (names == ref_names && manifest(now) != manifest(out_before)),
                         "the output folder is neither the old one nor a complete new one");
            // A run killed outright cannot clean up; the next run for the same folder does.
            const Outcome next = run(landquota_argv(c, places), logs.string() + ".next");
            check.expect(next.status == 0, "the next run failed: " + next.err);
            check.expect(temporaries(places.out.parent_path()).empty(),
                         "the next run left a temporary folder");
        }
    }
    if (check.failed() == 0) {
        std::cout << "ok " << c.id << "\n";
        fs::remove_all(dir);
        for (const char* s : {".disk", ".after"})
            fs::remove_all(root / "cases" / (c.id + s));
    }
    return check.failed() == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    try {
        const std::vector<std::string> args(argv + 1, argv + argc);
        if (args.size() >= 2 && args[0] == "list") {
            for (const auto& c : load_cases(args[1]))
                std::cout << c.id << "\n";
            return 0;
        }
        if (args.size() == 3 && args[0] == "baselines") {
            const auto cases = load_cases(args[1]);
            std::set<std::string> bases;
            for (const auto& c : cases)
                bases.insert(c.base);
            // The complete runs kept for the kill rows were made by an earlier build: a new
            // build may write other files, so they are made again.
            fs::remove_all(fs::path(args[2]) / "references");
            for (const auto& b : bases) {
                const auto t0 = std::chrono::steady_clock::now();
                make_baseline(b, fs::path(args[2]) / "baselines");
                std::cout
                    << "baseline " << b << ": "
                    << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
                    << " s\n";
            }
            std::cout << cases.size() << " cases\n";
            return 0;
        }
        if (args.size() == 4 && args[0] == "case") {
            for (const auto& c : load_cases(args[1]))
                if (c.id == args[3])
                    return run_case(c, args[2]);
            std::cerr << "no case '" << args[3] << "' in " << args[1] << "\n";
            return 1;
        }
        std::cerr << "usage: landquota_catalogue baselines TABLE ROOT | list TABLE | case TABLE "
                     "ROOT ID\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "catalogue: " << e.what() << "\n";
        return 1;
    }
}
