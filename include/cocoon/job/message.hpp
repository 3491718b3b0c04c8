// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_JOB_MESSAGE_HPP
#define COCOON_JOB_MESSAGE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN

/// Who speaks in a chat message (OpenAI chat completions). Tool messages are absent: COCOON
/// workers refuse tool calls.
enum class role { system, developer, user, assistant };

/// The role's wire name: "system", "developer", "user", "assistant".
[[nodiscard]] constexpr std::string_view to_string(role r) noexcept {
  switch (r) {
    case role::system: return "system";
    case role::developer: return "developer";
    case role::user: return "user";
    case role::assistant: return "assistant";
  }
  return "unknown";
}

/// The role named `name`, or nullopt for any other string.
[[nodiscard]] constexpr std::optional<role> role_from_string(std::string_view name) noexcept {
  for (const role r : {role::system, role::developer, role::user, role::assistant}) {
    if (to_string(r) == name) return r;
  }
  return std::nullopt;
}

/// Binary content carried with a message: an image, a document.
struct attachment {
  std::string media_type;  ///< e.g. "image/png"; type/subtype, printable ASCII
  bytes data;
  std::string name;  ///< optional file name, UTF-8

  friend bool operator==(const attachment&, const attachment&) = default;
};

/// One message of the conversation.
struct chat_message {
  cocoon::role role = role::user;
  std::string text;  ///< UTF-8
  std::vector<attachment> attachments;

  friend bool operator==(const chat_message&, const chat_message&) = default;
};

COCOON_SDK_NAMESPACE_END

#endif
