#include <cocoon/core/secret.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <type_traits>
#include <vector>

namespace {

// An allocator that records, at the moment memory is handed back, whether every byte was zero:
// it observes the destructor path of basic_secret from the outside.
struct recording_allocator {
  struct release {
    std::size_t size;
    bool all_zero;
  };
  static inline std::vector<release> releases;
  static inline std::size_t live = 0;

  static std::byte* allocate(std::size_t size) noexcept {
    ++live;
    return static_cast<std::byte*>(std::malloc(size));
  }
  static void deallocate(std::byte* memory, std::size_t size) noexcept {
    --live;
    releases.push_back({size, std::all_of(memory, memory + size, [](std::byte b) { return b == std::byte{0}; })});
    std::free(memory);
  }
};

struct failing_allocator {
  static std::byte* allocate(std::size_t) noexcept { return nullptr; }
  static void deallocate(std::byte*, std::size_t) noexcept {}
};

struct test_secret_tag {
  static constexpr const char* name = "test secret";
};
using recorded_secret = cocoon::basic_secret<16, test_secret_tag, recording_allocator>;

template <class T>
concept hex_printable = requires(const T& value) {
  value.to_hex();
};

}  // namespace

static_assert(!std::is_copy_constructible_v<cocoon::x25519_secret_key>);
static_assert(!std::is_copy_assignable_v<cocoon::x25519_secret_key>);
static_assert(std::is_nothrow_move_constructible_v<cocoon::x25519_secret_key>);
static_assert(!hex_printable<cocoon::ed25519_secret_key>);
static_assert(!std::is_convertible_v<cocoon::x25519_secret_key, cocoon::byte_view>);

TEST_CASE("destroying a secret wipes its memory before releasing it", "[core][secret]") {
  recording_allocator::releases.clear();
  {
    const auto secret = recorded_secret::from_bytes(cocoon::as_bytes("0123456789abcdef"));
    REQUIRE(cocoon::as_chars(secret.reveal()) == "0123456789abcdef");
    CHECK(recording_allocator::live == 1);
  }
  REQUIRE(recording_allocator::releases.size() == 1);
  CHECK(recording_allocator::releases[0].size == 16);
  CHECK(recording_allocator::releases[0].all_zero);
  CHECK(recording_allocator::live == 0);
}

TEST_CASE("assigning over a secret wipes the old one; a moved-from secret holds nothing", "[core][secret]") {
  recording_allocator::releases.clear();
  auto first = recorded_secret::generate();
  auto second = recorded_secret::generate();
  const cocoon::bytes second_bytes(second.reveal().begin(), second.reveal().end());
  first = std::move(second);
  REQUIRE(recording_allocator::releases.size() == 1);
  CHECK(recording_allocator::releases[0].all_zero);
  CHECK(second.empty());  // NOLINT(bugprone-use-after-move): the documented moved-from state
  CHECK(second.reveal().empty());
  CHECK(cocoon::bytes(first.reveal().begin(), first.reveal().end()) == second_bytes);

  recorded_secret moved(std::move(first));
  CHECK(first.empty());  // NOLINT(bugprone-use-after-move)
  CHECK(recording_allocator::live == 1);
}

TEST_CASE("a failed hex decode wipes the partly written secret", "[core][secret]") {
  recording_allocator::releases.clear();
  cocoon::error_code ec;
  // 15 good bytes, then a bad digit: the good bytes were written before the failure.
  CHECK_FALSE(recorded_secret::from_hex(std::string(30, 'a') + "zz", ec));
  CHECK(ec == cocoon::errc::invalid_hex);
  REQUIRE(recording_allocator::releases.size() == 1);
  CHECK(recording_allocator::releases[0].all_zero);
}

TEST_CASE("secrets are never printed and errors never echo them", "[core][secret]") {
  const std::string hex = "4f2c2a1b4f2c2a1b4f2c2a1b4f2c2a1b4f2c2a1b4f2c2a1b4f2c2a1b4f2c2a1b";
  const auto key = cocoon::x25519_secret_key::from_hex(hex);
  std::ostringstream out;
  out << key;
  CHECK(out.str() == "<redacted x25519 secret key>");

  std::string bad = hex;
  bad[40] = 'q';
  try {
    (void)cocoon::ed25519_secret_key::from_hex(bad);
    FAIL("accepted a bad key");
  } catch (const cocoon::error& failure) {
    const std::string message = failure.what();
    CHECK(message == "ed25519 secret key: invalid hex encoding (non-hex character at offset 40)");
    CHECK(message.find("4f2c") == std::string::npos);
  }
}

TEST_CASE("generated secrets are random and compare in constant time", "[core][secret]") {
  const auto a = cocoon::x25519_secret_key::generate();
  const auto b = cocoon::x25519_secret_key::generate();
  CHECK(a.reveal().size() == 32);
  CHECK_FALSE(a == b);
  const auto a_copy = cocoon::x25519_secret_key::from_bytes(a.reveal());
  CHECK(a == a_copy);
  CHECK_FALSE(a.empty());
}

TEST_CASE("secret construction reports wrong sizes and exhausted memory", "[core][secret]") {
  cocoon::error_code ec;
  CHECK_FALSE(cocoon::x25519_secret_key::from_bytes(cocoon::as_bytes("short"), ec));
  CHECK(ec == cocoon::errc::invalid_length);

  using unlucky = cocoon::basic_secret<8, test_secret_tag, failing_allocator>;
  CHECK_FALSE(unlucky::from_bytes(cocoon::as_bytes("12345678"), ec));
  CHECK(ec == cocoon::errc::secure_memory_unavailable);
  CHECK(ec == cocoon::condition::resource_exhausted);
  CHECK_THROWS_AS(unlucky::generate(), cocoon::error);
}
