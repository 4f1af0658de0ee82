# referat_http: the HTTP server library behind referat-serve (routes, URL state, JSON/CSV bodies,
# server-rendered HTML, embedded web assets). Included from searcher/CMakeLists.txt.
set(REFERAT_WEB_ASSETS
  ${CMAKE_CURRENT_LIST_DIR}/../web/style.css
  ${CMAKE_CURRENT_LIST_DIR}/../web/app.js
  ${CMAKE_CURRENT_LIST_DIR}/../web/favicon.svg)
set(REFERAT_WEB_ASSETS_CC ${CMAKE_CURRENT_BINARY_DIR}/referat_web_assets.cc)
add_custom_command(
  OUTPUT ${REFERAT_WEB_ASSETS_CC}
  COMMAND ${CMAKE_COMMAND} -DOUT=${REFERAT_WEB_ASSETS_CC} "-DFILES=${REFERAT_WEB_ASSETS}"
          -P ${CMAKE_CURRENT_LIST_DIR}/embed_assets.cmake
  DEPENDS ${REFERAT_WEB_ASSETS} ${CMAKE_CURRENT_LIST_DIR}/embed_assets.cmake
  COMMENT "Embedding searcher/web assets"
  VERBATIM)

add_library(referat_http STATIC
  ${CMAKE_CURRENT_LIST_DIR}/page_query.cc
  ${CMAKE_CURRENT_LIST_DIR}/api_render.cc
  ${CMAKE_CURRENT_LIST_DIR}/server.cc
  ${CMAKE_CURRENT_LIST_DIR}/../render/html.cc
  ${REFERAT_WEB_ASSETS_CC})
add_library(referat::http ALIAS referat_http)
target_include_directories(referat_http PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>)
target_link_libraries(referat_http
  PUBLIC referat::searcher nlohmann_json::nlohmann_json
  PRIVATE PkgConfig::HTTPLIB Threads::Threads)
referat_warnings(referat_http)

add_executable(referat-serve ${CMAKE_CURRENT_LIST_DIR}/../serve_main.cc)
target_link_libraries(referat-serve PRIVATE referat::http CLI11::CLI11 Threads::Threads)
referat_allocator(referat-serve)
referat_warnings(referat-serve)
