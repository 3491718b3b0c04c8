// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_DETAIL_DEADLINES_HPP
#define COCOON_CLIENT_DETAIL_DEADLINES_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/client/detail/state.hpp>
#include <cocoon/error.hpp>

#include <boost/asio/cancellation_signal.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace client::detail {

namespace asio = boost::asio;

/// One submitted job: its deadline, and the signal that stops it (the caller's cancellation and
/// the deadline both end up there).
struct job_op {
  asio::cancellation_signal stop;
  std::shared_ptr<part_sink> sink = std::make_shared<part_sink>();
  bool expired = false;
  bool waiting = false;  ///< `deadline` is in `state::deadlines` (under `state::deadline_mutex`)
  std::multimap<state::clock::time_point, std::weak_ptr<job_op>>::iterator deadline;
};

inline void on_deadline(const std::weak_ptr<state>& weak, error_code ec);

/// Re-arms the deadline timer when the earliest deadline comes before the one it waits for.
/// Call with `deadline_mutex` held.
inline void arm_deadlines(const std::shared_ptr<state>& shared) {
  state& s = *shared;
  if (s.deadlines.empty() || s.deadlines.begin()->first >= s.deadline_armed) return;
  s.deadline_armed = s.deadlines.begin()->first;
  s.deadline_timer.expires_at(s.deadline_armed);  // a wait for a later time completes as aborted
  s.deadline_timer.async_wait([weak = std::weak_ptr<state>(shared)](error_code ec) { on_deadline(weak, ec); });
}

/// Adds a job's deadline. One timer for all jobs: with a timer per job, each job cost a timer
/// queue update, a system call to re-arm the reactor's timer and a cancelled wait to complete.
/// Jobs that end in time take their deadline out (`remove_deadline`) without touching the timer,
/// which, when it fires, expires what is due and waits for the next.
inline void add_deadline(const std::shared_ptr<state>& shared, const std::shared_ptr<job_op>& op,
                         state::clock::time_point due) {
  const std::lock_guard lock(shared->deadline_mutex);
  op->deadline = shared->deadlines.emplace(due, op);
  op->waiting = true;
  arm_deadlines(shared);
}

inline void remove_deadline(state& s, job_op& op) {
  const std::lock_guard lock(s.deadline_mutex);
  if (!op.waiting) return;
  s.deadlines.erase(op.deadline);
  op.waiting = false;
}

/// The deadline timer fired (on the client's strand): stops the jobs whose deadline has passed.
inline void on_deadline(const std::weak_ptr<state>& weak, error_code ec) {
  const auto shared = weak.lock();
  if (ec || !shared) return;
  state& s = *shared;
  std::vector<std::shared_ptr<job_op>> due;
  {
    const std::lock_guard lock(s.deadline_mutex);
    s.deadline_armed = state::clock::time_point::max();
    const auto now = state::clock::now();
    while (!s.deadlines.empty() && s.deadlines.begin()->first <= now) {
      if (auto op = s.deadlines.begin()->second.lock()) {
        op->waiting = false;
        due.push_back(std::move(op));
      }
      s.deadlines.erase(s.deadlines.begin());
    }
    arm_deadlines(shared);
  }
  for (const auto& op : due) {
    op->expired = true;
    op->sink->stopped = true;
    op->stop.emit(asio::cancellation_type::terminal);
  }
}

}  // namespace client::detail
COCOON_SDK_NAMESPACE_END

#endif
