# bench_analyzer: the Danish analysis chain against a bare ICU word-break pass (issue 3).
add_executable(bench_analyzer ${CMAKE_CURRENT_LIST_DIR}/analyzer_bench.cc)
target_link_libraries(bench_analyzer PRIVATE referat::stemmers benchmark::benchmark ICU::uc ICU::i18n)
target_compile_definitions(bench_analyzer PRIVATE REFERAT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
referat_warnings(bench_analyzer)
