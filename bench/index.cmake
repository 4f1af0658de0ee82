# bench_generate: synthetic minutes corpus; bench_index: referat-index vs a plain Xapian indexer.
add_executable(bench_generate ${CMAKE_CURRENT_LIST_DIR}/generate_corpus.cc)
target_link_libraries(bench_generate PRIVATE CLI11::CLI11)
target_include_directories(bench_generate PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(bench_generate PRIVATE REFERAT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

add_executable(bench_index ${CMAKE_CURRENT_LIST_DIR}/index_bench.cc)
target_link_libraries(bench_index PRIVATE referat::indexer CLI11::CLI11 Threads::Threads)
referat_allocator(bench_index)
target_include_directories(bench_index PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(bench_index PRIVATE REFERAT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
