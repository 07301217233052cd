// The unit tests' entry point: doctest's own main (run with --help for its options).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
