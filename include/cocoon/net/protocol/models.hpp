// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_PROTOCOL_MODELS_HPP
#define COCOON_NET_PROTOCOL_MODELS_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/net/tl.hpp>

#include <cstdint>
#include <string>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN

/// The model lists a client asks a proxy for (`getWorkerTypes`, `getWorkerTypesV2`).
namespace net::proto {

/// Function `client.getWorkerTypes`: the model list a protocol-0 client asks for.
struct get_worker_types {
  static constexpr std::uint32_t id = 0x7f062bdb;
  void write(tl::writer&) const {}
  static get_worker_types read(tl::reader&) { return {}; }
  friend bool operator==(const get_worker_types&, const get_worker_types&) = default;
};

/// `client.workerTypes`: the protocol-0 model list, each model's workers summarised.
struct worker_types {
  static constexpr std::uint32_t id = 0xf64e0e01;
  struct type {  ///< `client.workerType` (bare)
    std::string name;
    std::int32_t active_workers = 0;
    /// The workers' coefficients: lowest, median and highest (1000 = 1.0x the base price).
    std::int32_t coefficient_min = 0, coefficient_bucket50 = 0, coefficient_max = 0;
    friend bool operator==(const type&, const type&) = default;
  };
  std::vector<type> types;

  void write(tl::writer& w) const {
    w.i32(static_cast<std::int32_t>(types.size()));
    for (const auto& t : types) {
      w.string(t.name);
      for (const auto value : {t.active_workers, t.coefficient_min, t.coefficient_bucket50, t.coefficient_max}) {
        w.i32(value);
      }
    }
  }
  static worker_types read(tl::reader& r) {
    worker_types result;
    result.types.resize(r.count("client.workerTypes.types", 20));
    for (auto& t : result.types) {
      t.name = r.string("client.workerType.name");
      t.active_workers = r.i32("client.workerType.active_workers");
      t.coefficient_min = r.i32("client.workerType.coefficient_min");
      t.coefficient_bucket50 = r.i32("client.workerType.coefficient_bucket50");
      t.coefficient_max = r.i32("client.workerType.coefficient_max");
    }
    return result;
  }
  friend bool operator==(const worker_types&, const worker_types&) = default;
};

/// Function `client.getWorkerTypesV2`.
struct get_worker_types_v2 {
  static constexpr std::uint32_t id = 0xb2133d72;
  void write(tl::writer&) const {}
  static get_worker_types_v2 read(tl::reader&) { return {}; }
  friend bool operator==(const get_worker_types_v2&, const get_worker_types_v2&) = default;
};

/// `client.workerTypesV2`: the models a proxy serves and its workers' load and prices.
struct worker_types_v2 {
  static constexpr std::uint32_t id = 0x0cf0dc67;
  struct instance {  ///< `client.workerInstanceV2` (bare)
    std::uint32_t flags = 0;
    std::int32_t coefficient = 0;  ///< 1000 = 1.0x the base price
    std::int32_t active_requests = 0;
    std::int32_t max_active_requests = 0;
    friend bool operator==(const instance&, const instance&) = default;
  };
  struct type {  ///< `client.workerTypeV2` (bare)
    std::string name;
    std::vector<instance> workers;
    friend bool operator==(const type&, const type&) = default;
  };
  std::vector<type> types;

  void write(tl::writer& w) const {
    w.i32(static_cast<std::int32_t>(types.size()));
    for (const auto& t : types) {
      w.string(t.name);
      w.i32(static_cast<std::int32_t>(t.workers.size()));
      for (const auto& i : t.workers) {
        w.u32(i.flags);
        w.i32(i.coefficient);
        w.i32(i.active_requests);
        w.i32(i.max_active_requests);
      }
    }
  }
  static worker_types_v2 read(tl::reader& r) {
    worker_types_v2 result;
    result.types.resize(r.count("client.workerTypesV2.types", 8));
    for (auto& t : result.types) {
      t.name = r.string("client.workerTypeV2.name");
      t.workers.resize(r.count("client.workerTypeV2.workers", 16));
      for (auto& i : t.workers) {
        i.flags = r.u32("client.workerInstanceV2.flags");
        i.coefficient = r.i32("client.workerInstanceV2.coefficient");
        i.active_requests = r.i32("client.workerInstanceV2.active_requests");
        i.max_active_requests = r.i32("client.workerInstanceV2.max_active_requests");
      }
    }
    return result;
  }
  friend bool operator==(const worker_types_v2&, const worker_types_v2&) = default;
};

}  // namespace net::proto
COCOON_SDK_NAMESPACE_END

#endif
