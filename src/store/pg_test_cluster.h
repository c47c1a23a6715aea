// PgTestCluster: a throwaway PostgreSQL server for tests, so that every store test can also run
// against a real server. Test-only: compiled into test binaries, never into the library.
//
//   auto cluster = PgTestCluster::Shared();          // started on first use in this process
//   if (!cluster.ok()) GTEST_SKIP() << cluster.status();
//   auto url = (*cluster)->CreateDatabase();          // a fresh, empty database per test
//
// Start() makes a temp directory (chowned to the `postgres` user when running as root, since initdb
// refuses root), runs initdb (as `postgres` through runuser when root, directly otherwise), starts
// the server on a free 127.0.0.1 port with its socket in the same directory (fsync off: data is
// disposable) and waits until it accepts connections. Binaries come from $REACH_PG_BINDIR, else
// `pg_config --bindir`, else /usr/lib/postgresql/<newest>/bin.
//
// Cleanup: a watchdog shell, started before initdb, holds the read end of a pipe whose write end
// only this process has; when the pipe closes — in the destructor, or because the process died,
// even by a signal or an abort — it stops the server (immediate mode) and removes the directory.
// So no server or directory outlives the test process.
//
// Thread safety: not thread-safe; use from the test's main thread. Errors: Unavailable when the
// binaries are missing or a command fails (the message names the command and its log file).
#ifndef REACH_STORE_PG_TEST_CLUSTER_H_
#define REACH_STORE_PG_TEST_CLUSTER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace reach::store::testing {

class PgTestCluster {
 public:
  static absl::StatusOr<std::unique_ptr<PgTestCluster>> Start();
  // One cluster per process, started on the first call, stopped when the process exits.
  static absl::StatusOr<PgTestCluster*> Shared();

  ~PgTestCluster();
  PgTestCluster(const PgTestCluster&) = delete;
  PgTestCluster& operator=(const PgTestCluster&) = delete;

  // Creates a new empty UTF-8 database (named "reach_<n>" when `name` is empty) and returns its
  // URL.
  absl::StatusOr<std::string> CreateDatabase(std::string name = "");
  // The URL of database `db` as the superuser `postgres` (no password: trust authentication).
  [[nodiscard]] std::string Url(std::string_view db) const;

  // Stops the server (fast mode: connections are closed) and starts it again on the same port:
  // for outage tests.
  absl::Status StopServer();
  absl::Status StartServer();

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] const std::string& dir() const { return dir_; }

 private:
  PgTestCluster() = default;
  // Runs a PostgreSQL binary (as `postgres` when root) with output appended to dir_/commands.log.
  absl::Status RunTool(const std::string& tool, const std::vector<std::string>& args);
  absl::Status StartWatchdog();

  std::string bindir_;
  std::string dir_;
  int port_ = 0;
  bool as_root_ = false;
  int watchdog_fd_ = -1;  // write end of the watchdog's pipe
  pid_t watchdog_pid_ = -1;
  int databases_ = 0;
};

}  // namespace reach::store::testing

#endif  // REACH_STORE_PG_TEST_CLUSTER_H_
