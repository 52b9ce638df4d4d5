# landquota_add_plugin(NAME source...): a plugin shared library named liblandquota_plugin_NAME.so,
# built against the public headers alone. Used in-tree and, through landquotaConfig.cmake, by
# third-party plugins.
function(landquota_add_plugin name)
  add_library(landquota_plugin_${name} MODULE ${ARGN})
  target_link_libraries(landquota_plugin_${name} PRIVATE landquota::plugin_api)
  set_target_properties(landquota_plugin_${name} PROPERTIES
    PREFIX "lib" CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_compile_features(landquota_plugin_${name} PRIVATE cxx_std_20)
endfunction()
