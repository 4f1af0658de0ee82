# referat_allocator(<target>): link an executable with jemalloc (libjemalloc-dev), so that its
# malloc/operator new, and those of the libraries it loads (Xapian's inverter above all), are
# jemalloc's. Measured: referat-index 15 % less CPU than with glibc's malloc on 10,000 items, 40 %
# on 100,000 (docs/PERFORMANCE.md, "session 19: the allocator"). Only executables get it:
# the libraries leave the allocator to the program that embeds them.
# -DREFERAT_JEMALLOC=OFF builds with the system allocator.
option(REFERAT_JEMALLOC "Link referat's programs with jemalloc" ON)
if(REFERAT_JEMALLOC)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()

function(referat_allocator target)
  if(REFERAT_JEMALLOC)
    # Nothing in the program calls jemalloc by name: keep the library even under --as-needed.
    target_link_libraries(${target} PRIVATE
      "-Wl,--push-state,--no-as-needed" PkgConfig::JEMALLOC "-Wl,--pop-state")
  endif()
endfunction()
