// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_JOB_HPP
#define COCOON_JOB_HPP

// Inference jobs: messages, the immutable job, its fluent builder and canonical JSON.
#include <cocoon/job/envelope.hpp>
#include <cocoon/job/job.hpp>
#include <cocoon/job/job_builder.hpp>
#include <cocoon/job/message.hpp>
#include <cocoon/job/openai.hpp>

#endif
