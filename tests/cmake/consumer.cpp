// The smallest real use of the SDK, built by both packaging tests.
#include <cocoon/cocoon.hpp>

#include <iostream>

int main() {
  const auto amount = cocoon::nanotons::parse("1.5");
  std::cout << "consumer: " << amount << " = " << amount.count() << " nanotons\n";
  return amount.count() == 1'500'000'000u ? 0 : 1;
}
