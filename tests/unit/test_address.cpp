// How the clients read `PORT`, `HOST:PORT` and `[V6]:PORT`, and print them.
#include "address.hpp"
#include "output.hpp"

#include <doctest/doctest.h>

using lab::Address;
using lab::format_address;
using lab::parse_address;

TEST_CASE("a bare port means 127.0.0.1, as in the chapter's `get-poetry 10000`") {
    CHECK(parse_address("10000") == Address{"127.0.0.1", 10000});
}

TEST_CASE("HOST:PORT keeps the host as given") {
    CHECK(parse_address("localhost:10001") == Address{"localhost", 10001});
    CHECK(parse_address("192.0.2.7:1") == Address{"192.0.2.7", 1});
    CHECK(parse_address(":10002") == Address{"127.0.0.1", 10002});
}

TEST_CASE("IPv6 hosts come in brackets") {
    CHECK(parse_address("[::1]:10000") == Address{"::1", 10000});
    CHECK(parse_address("[fe80::1%lo]:7") == Address{"fe80::1%lo", 7});
    CHECK_THROWS_WITH_AS(parse_address("::1:10000"), doctest::Contains("brackets"), lab::Error);
    CHECK_THROWS_AS(parse_address("[::1]10000"), lab::Error);
    CHECK_THROWS_AS(parse_address("[::1"), lab::Error);
    CHECK_THROWS_AS(parse_address("[]:10000"), lab::Error);
}

TEST_CASE("brackets only around an IPv6 host (found by the fuzzer: \"[[x]:1\")") {
    for (const char* bad : {"[[x]:1", "[[]:0", "a]:80", "a[b:80", "[a[b]:80"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH_AS(parse_address(bad, true), doctest::Contains("brackets"), lab::Error);
    }
}

TEST_CASE("ports must be integers, like the original clients say") {
    for (const char* bad : {"", "abc", "10x", "-1", "+5", " 80", "localhost:", "host:1.5", "[::1]:"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH_AS(parse_address(bad), "Ports must be integers.", lab::Error);
    }
}

TEST_CASE("ports must be in range; only a server may ask for port 0") {
    CHECK(parse_address("65535").port == 65535);
    CHECK_THROWS_WITH_AS(parse_address("65536"), doctest::Contains("out of range"), lab::Error);
    CHECK_THROWS_WITH_AS(parse_address("99999999999999999999999"),
                         doctest::Contains("out of range"), lab::Error);
    CHECK_THROWS_AS(parse_address("0"), lab::Error);
    CHECK(parse_address("0", /*allow_port_zero=*/true).port == 0);
    CHECK(lab::parse_port("0", true) == 0);
    CHECK_THROWS_AS(lab::parse_port("0", false), lab::Error);
}

TEST_CASE("addresses print as HOST:PORT, IPv6 in brackets") {
    CHECK(format_address({"127.0.0.1", 10000}) == "127.0.0.1:10000");
    CHECK(format_address({"::1", 10000}) == "[::1]:10000");
    CHECK(format_address(parse_address("[::1]:80")) == "[::1]:80");
}
