// Oracle: a body accepted as a client runner's model list, written back in the runner's shape,
// parses to the same models; a refused one is refused by both forms as a protocol violation.
#include <cocoon/net/models.hpp>

#include "fuzz.hpp"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  cocoon::error_code ec;
  const auto models = cocoon::net::parse_models_json(body, ec);
  if (!models) {
    FUZZ_CHECK(ec == cocoon::condition::protocol_violation);
    bool thrown = false;
    try {
      (void)cocoon::net::parse_models_json(body);
    } catch (const cocoon::error& e) {
      thrown = e.code() == ec;
    }
    FUZZ_CHECK(thrown);
    return 0;
  }
  nlohmann::json list{{"object", "list"}, {"data", nlohmann::json::array()}};
  for (const auto& model : *models) {
    nlohmann::json entry{{"id", model.name}, {"object", "model"}, {"created", 0}, {"owned_by", "?"}};
    if (!model.workers.empty()) {
      for (const auto& worker : model.workers) {
        entry["workers"].push_back({{"coefficient", worker.coefficient},
                                    {"running_requests", worker.running_requests},
                                    {"max_running_requests", worker.max_running_requests}});
      }
    }
    list["data"].push_back(std::move(entry));
  }
  const auto again = cocoon::net::parse_models_json(list.dump(), ec);
  FUZZ_CHECK(again && *again == *models);
  return 0;
}
