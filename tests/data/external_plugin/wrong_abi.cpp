// A library claiming another plugin ABI: the engine must refuse it with a clear message.
extern "C" __attribute__((visibility("default"))) int landquota_plugin_abi_version() {
    return 999;
}
extern "C" __attribute__((visibility("default"))) void landquota_plugin_register(void*) {}
