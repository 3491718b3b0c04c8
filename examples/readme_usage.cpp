#include <cocoon/core.hpp>
#include <cocoon/error.hpp>

#include <iostream>

int main() {
  using namespace cocoon::literals;
  const auto budget = 1.5_ton;                                // parsed exactly at compile time
  const auto price = cocoon::nanotons::parse("0.000000125");  // throws cocoon::error on junk
  const auto spent = price * 1843;                            // checked: never wraps
  std::cout << "left after 1843 tokens: " << budget - spent << '\n';

  const auto key = cocoon::x25519_secret_key::generate();  // guarded memory, wiped on exit
  std::cout << "key: " << key << '\n';                     // prints a redaction, never bytes

  cocoon::error_code ec;  // or handle errors without throwing
  if (!cocoon::from_hex("not hex", ec)) std::cout << "refused: " << ec.message() << '\n';
}
