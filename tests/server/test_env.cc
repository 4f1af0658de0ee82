#include "tests/server/test_env.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <cstdlib>
#include <random>

#include "indexer/index_writer.h"

namespace referat::test {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  path = fs::temp_directory_path() /
         ("referat-server-test-" + std::to_string(rd()) + "-" + std::to_string(counter++));
  fs::create_directories(path);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path, ec);
}

fs::path corpus_dir() { return fs::path(REFERAT_SOURCE_DIR) / "corpus"; }

std::string hostile_minutes() {
  return "REFERAT Beskæftigelses- og Socialudvalget 2022-2025 d. 03-06-2025\n\n"
         "Mødedato Tirsdag d. 3. juni 2025 kl. 08:30\n\n"
         "Mødested Rådhuset\n\n"
         "Punkt 1: D-sag: Skraldespande <script>alert(\"xss\")</script> & \"citater\" i titlen\n\n"
         "Resume\n\n"
         "Denne sag om skraldespande handler om <img src=x onerror=alert(1)> og "
         "</p><script>alert(2)</script> i parken.\n\n"
         "Indstilling\n\n"
         "Forvaltningen indstiller, at udvalget tager orienteringen om skraldespande til "
         "efterretning.\n\n"
         "Beslutning\n\n"
         "Beskæftigelses- og Socialudvalget tog orienteringen til efterretning.";
}

void copy_corpus(const fs::path& dir, const std::vector<std::string>& names) {
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(corpus_dir())) {
    if (entry.path().extension() != ".txt") continue;
    std::string name = entry.path().filename().string();
    if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) continue;
    fs::copy_file(entry.path(), dir / name, fs::copy_options::overwrite_existing);
  }
}

void index_dir(const fs::path& dir, const fs::path& db) {
  indexer::IndexOptions options;
  options.db_path = db.string();
  options.jobs = 1;
  options.prune = true;
  auto summary = indexer::index_paths({dir.string()}, options);
  ASSERT_EQ(summary.files_rejected, 0u) << "a test minutes file was rejected";
}

void build_shared_db(const fs::path& work_dir, const fs::path& db) {
  fs::remove_all(db);
  copy_corpus(work_dir / "minutes");
  std::ofstream(work_dir / "minutes" / "hostile.txt") << hostile_minutes();
  index_dir(work_dir / "minutes", db);
}

std::string shared_db() {
  if (const char* env = std::getenv("REFERAT_SERVER_TEST_DB"); env && fs::exists(env)) return env;
  static TempDir dir;
  static bool built = false;
  if (!built) {
    build_shared_db(dir.path, dir.path / "db");
    built = true;
  }
  return (dir.path / "db").string();
}

namespace {
searcher::http::ServerOptions options_for(const std::string& db_path, unsigned threads) {
  searcher::http::ServerOptions opt;
  opt.db_path = db_path;
  opt.threads = threads;
  return opt;
}
}  // namespace

RunningServer::RunningServer(const std::string& db_path, unsigned threads)
    : RunningServer(options_for(db_path, threads)) {}

RunningServer::RunningServer(searcher::http::ServerOptions opt) {
  opt.port = 0;
  if (opt.threads == 0) opt.threads = 4;
  server_ = std::make_unique<searcher::http::Server>(opt);
  port_ = server_->bind();
  thread_ = std::thread([this] { server_->run(); });
  for (int i = 0; i < 500 && !server_->running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

RunningServer::~RunningServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::unique_ptr<httplib::Client> RunningServer::client() const {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
  c->set_keep_alive(false);
  c->set_url_encode(false);  // tests write URLs already encoded, as a browser sends them
  c->set_connection_timeout(10, 0);
  c->set_read_timeout(10, 0);
  return c;
}

nlohmann::json get_json(httplib::Client& c, const std::string& path, int expected_status) {
  auto res = c.Get(path.c_str());
  if (!res) {
    ADD_FAILURE() << "GET " << path << ": no response (" << httplib::to_string(res.error()) << ")";
    return nullptr;
  }
  EXPECT_EQ(res->status, expected_status) << "GET " << path << "\n" << res->body.substr(0, 500);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8") << path;
  auto j = nlohmann::json::parse(res->body, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON: " << res->body.substr(0, 200);
  return j;
}

}  // namespace referat::test
