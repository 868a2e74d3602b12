#include "pop3/core/secret.hpp"

#include <doctest/doctest.h>

#include <sstream>

TEST_CASE("a Secret prints as <redacted> and reveals its value only on request") {
  pop3::Secret s("hunter2");
  std::ostringstream os;
  os << s;
  CHECK(os.str() == "<redacted>");
  CHECK(s.reveal() == "hunter2");
}

TEST_CASE("Secrets compare by value and a moved-from Secret is empty") {
  pop3::Secret a("pw"), b("pw"), c("px");
  CHECK(a.equals(b));
  CHECK_FALSE(a.equals(c));
  pop3::Secret d(std::move(a));
  CHECK(d.reveal() == "pw");
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): pinned behaviour
}
