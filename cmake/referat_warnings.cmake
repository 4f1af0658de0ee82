# referat_warnings(<target>): warning flags scoped to one target (no global flags).
function(referat_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion-null
      -Wnon-virtual-dtor -Wold-style-cast -Wno-unused-parameter>)
endfunction()
