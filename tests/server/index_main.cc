// server_test_index DIR: builds the server tests' shared database (corpus/ + a hostile minutes
// file) into DIR/db once, as the CTest fixture that the server tests require.
#include <filesystem>
#include <iostream>

#include "tests/server/test_env.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: server_test_index DIR\n";
    return 2;
  }
  std::filesystem::path dir = argv[1];
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  referat::test::build_shared_db(dir, dir / "db");
  std::cout << (dir / "db").string() << "\n";
  return 0;
}
