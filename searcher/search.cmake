# referat-search: the terminal search tool (thin: CLI11 -> Searcher -> render::*).
add_executable(referat-search ${CMAKE_CURRENT_SOURCE_DIR}/search_main.cc)
target_link_libraries(referat-search PRIVATE referat::searcher CLI11::CLI11)
referat_allocator(referat-search)
referat_warnings(referat-search)
