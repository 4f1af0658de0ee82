# bench_search: referat-search query latency (top 10 with all facets exact; exact counting) on a
# generated corpus, against a plain Xapian baseline (QueryParser + Stem("danish") + one facet).
add_executable(bench_search ${CMAKE_CURRENT_LIST_DIR}/search_bench.cc)
target_link_libraries(bench_search PRIVATE referat::searcher referat::indexer CLI11::CLI11 Xapian::xapian)
referat_allocator(bench_search)
target_include_directories(bench_search PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(bench_search PRIVATE REFERAT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
