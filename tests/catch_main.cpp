// One entry point for every test executable. Where SystemC is linked, its library owns main()
// and calls sc_main, so the Catch2 session runs from sc_main; elsewhere from a plain main.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#ifdef ENOS_TEST_WITH_SYSTEMC
// libsystemc's main() calls sc_main with C linkage (declared here, not from <systemc>, so
// that this one translation unit serves every test executable without SystemC's headers).
extern "C" int sc_main(int argc, char* argv[]);

int sc_main(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }
#else
int main(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }
#endif
