#include <cocoon/backend/model_config.hpp>

#include <catch2/catch.hpp>

namespace be = cocoon::backend;

TEST_CASE("the default config is the small reference model and valid", "[backend][config]") {
  const be::model_config c;
  CHECK(c.vocab_size == 257);
  CHECK(c.head_dim() * c.n_heads == c.d_model);
  CHECK_NOTHROW(be::validate(c));
  cocoon::error_code ec = cocoon::errc::invalid_hex;
  CHECK(be::validate(c, ec));
  CHECK_FALSE(ec);
}

TEST_CASE("unusable shapes are refused, naming the field", "[backend][config]") {
  struct bad_case {
    const char* field;
    be::model_config config;
  };
  const auto with = [](auto change) {
    be::model_config c;
    change(c);
    return c;
  };
  const bad_case cases[] = {
      {"vocab_size", with([](auto& c) { c.vocab_size = 256; })},
      {"vocab_size", with([](auto& c) { c.vocab_size = 258; })},
      {"context_length", with([](auto& c) { c.context_length = 1; })},
      {"d_model", with([](auto& c) { c.d_model = 0; })},
      {"n_layers", with([](auto& c) { c.n_layers = 0; })},
      {"n_heads", with([](auto& c) { c.n_heads = 0; })},
      {"n_heads", with([](auto& c) { c.n_heads = 3; })},
      {"d_ff", with([](auto& c) { c.d_ff = 0; })},
  };
  for (const auto& bad : cases) {
    INFO(bad.field);
    cocoon::error_code ec;
    CHECK_FALSE(be::validate(bad.config, ec));
    CHECK(ec == cocoon::errc::model_invalid_input);
    try {
      be::validate(bad.config);
      FAIL("no exception");
    } catch (const cocoon::error& e) {
      CHECK(e.code() == cocoon::errc::model_invalid_input);
      CHECK(e.where() == bad.field);
    }
  }
}
