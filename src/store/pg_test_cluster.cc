#include "store/pg_test_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "store/postgres_util.h"

extern char** environ;

namespace reach::store::testing {
namespace {

std::string FindBindir() {
  if (const char* env = std::getenv("REACH_PG_BINDIR"); env != nullptr && env[0] != '\0') {
    return env;
  }
  if (std::FILE* p = ::popen("pg_config --bindir 2>/dev/null", "r"); p != nullptr) {
    char buf[512] = {};
    const bool got = std::fgets(buf, sizeof buf, p) != nullptr;
    ::pclose(p);
    std::string dir = got ? std::string(buf) : "";
    while (!dir.empty() && (dir.back() == '\n' || dir.back() == ' ')) dir.pop_back();
    if (!dir.empty() && std::filesystem::exists(dir + "/initdb")) return dir;
  }
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    if (std::filesystem::exists(e.path() / "bin" / "initdb")) found.push_back(e.path() / "bin");
  }
  std::sort(found.begin(), found.end());
  return found.empty() ? "" : found.back();
}

absl::StatusOr<int> FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::UnavailableError("pg test cluster: socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  if (!ok) return absl::UnavailableError("pg test cluster: cannot find a free port");
  return static_cast<int>(ntohs(addr.sin_port));
}

// Runs argv (argv[0] looked up in PATH) with stdout and stderr appended to `log`; returns the exit
// status, or -1 when it could not start.
int Spawn(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgTestCluster>> PgTestCluster::Start() {
  std::unique_ptr<PgTestCluster> c(new PgTestCluster());
  c->bindir_ = FindBindir();
  if (c->bindir_.empty()) {
    return absl::UnavailableError(
        "pg test cluster: PostgreSQL server binaries not found (install postgresql, or set "
        "REACH_PG_BINDIR)");
  }
  c->as_root_ = ::geteuid() == 0;
  std::string templ = (std::filesystem::temp_directory_path() / "reach_pg_XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    return absl::UnavailableError("pg test cluster: mkdtemp failed");
  }
  c->dir_ = templ;
  if (c->as_root_) {
    const passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr || ::chown(c->dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      std::error_code ec;
      std::filesystem::remove_all(c->dir_, ec);
      return absl::UnavailableError(
          "pg test cluster: running as root needs a `postgres` user to own the cluster");
    }
  }
  REACH_RETURN_IF_ERROR(c->StartWatchdog());
  REACH_RETURN_IF_ERROR(c->RunTool("initdb", {"-D", c->dir_ + "/data", "-U", "postgres", "-A",
                                              "trust", "-E", "UTF8", "--locale=C", "--no-sync"}));
  // A port may be taken between FreePort and the server's bind: try a few.
  absl::Status started;
  for (int attempt = 0; attempt < 5; ++attempt) {
    REACH_ASSIGN_OR_RETURN(c->port_, FreePort());
    started = c->StartServer();
    if (started.ok()) break;
  }
  REACH_RETURN_IF_ERROR(started);
  return c;
}

absl::StatusOr<PgTestCluster*> PgTestCluster::Shared() {
  // A function-local static: destroyed at exit, which stops the server.
  static absl::StatusOr<std::unique_ptr<PgTestCluster>> cluster = Start();
  if (!cluster.ok()) return cluster.status();
  return cluster->get();
}

PgTestCluster::~PgTestCluster() {
  if (watchdog_fd_ >= 0) ::close(watchdog_fd_);  // the watchdog stops the server, removes dir_
  if (watchdog_pid_ > 0) {
    int status = 0;
    while (::waitpid(watchdog_pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

absl::Status PgTestCluster::StartWatchdog() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return absl::UnavailableError("pg test cluster: pipe failed");
  std::string stop = fmt::format("{}/pg_ctl -D {} -m immediate stop", ShellQuote(bindir_),
                                 ShellQuote(dir_ + "/data"));
  if (as_root_) stop = "runuser -u postgres -- " + stop;
  const std::string script = fmt::format(
      "cat >/dev/null; if [ -f {0}/data/postmaster.pid ]; then {1} >/dev/null 2>&1; fi; "
      "rm -rf {0}",
      ShellQuote(dir_), stop);
  std::vector<std::string> argv = {"/bin/sh", "-c", script};
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  // Its own process group: a Ctrl-C aimed at the test must not kill the cleanup.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  const int rc = ::posix_spawn(&watchdog_pid_, "/bin/sh", &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(fds[0]);
  if (rc != 0) {
    ::close(fds[1]);
    watchdog_pid_ = -1;
    return absl::UnavailableError("pg test cluster: cannot start the cleanup watchdog");
  }
  watchdog_fd_ = fds[1];
  return absl::OkStatus();
}

absl::Status PgTestCluster::RunTool(const std::string& tool, const std::vector<std::string>& args) {
  std::vector<std::string> argv;
  if (as_root_) argv = {"runuser", "-u", "postgres", "--"};
  argv.push_back(bindir_ + "/" + tool);
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string log = dir_ + "/commands.log";
  const int rc = Spawn(argv, log);
  if (rc != 0) {
    std::string tail;
    if (std::FILE* f = std::fopen(log.c_str(), "r"); f != nullptr) {
      char buf[4096];
      size_t n = 0;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) tail.append(buf, n);
      std::fclose(f);
      if (tail.size() > 2000) tail = tail.substr(tail.size() - 2000);
    }
    return absl::UnavailableError(
        fmt::format("pg test cluster: {} failed (exit {}): {}", tool, rc, tail));
  }
  return absl::OkStatus();
}

absl::Status PgTestCluster::StartServer() {
  return RunTool("pg_ctl",
                 {"-D", dir_ + "/data", "-l", dir_ + "/server.log", "-w", "-t", "30", "-o",
                  fmt::format("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off "
                              "-c synchronous_commit=off -c full_page_writes=off",
                              port_, dir_),
                  "start"});
}

absl::Status PgTestCluster::StopServer() {
  return RunTool("pg_ctl", {"-D", dir_ + "/data", "-m", "fast", "-w", "stop"});
}

std::string PgTestCluster::Url(std::string_view db) const {
  return fmt::format("postgres://postgres@127.0.0.1:{}/{}", port_, db);
}

absl::StatusOr<std::string> PgTestCluster::CreateDatabase(std::string name) {
  if (name.empty()) name = fmt::format("reach_{}", ++databases_);
  REACH_ASSIGN_OR_RETURN(PgConn admin, PgConn::Connect(Url("postgres")));
  REACH_RETURN_IF_ERROR(admin.Exec(fmt::format("CREATE DATABASE \"{}\" ENCODING 'UTF8'", name)));
  return Url(name);
}

}  // namespace reach::store::testing
