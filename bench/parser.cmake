# bench_parser: MinutesParser throughput (corpus files, a large synthetic file, a 50 MB line).
add_executable(bench_parser ${CMAKE_CURRENT_LIST_DIR}/parser_bench.cc)
target_link_libraries(bench_parser PRIVATE referat::indexer benchmark::benchmark)
target_compile_definitions(bench_parser PRIVATE REFERAT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
