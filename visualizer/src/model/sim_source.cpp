#include "model/sim_source.hpp"

#include <exception>

#include "pop3/sim/simulation.hpp"

namespace pop3::viz {

SimSource::SimSource(labs::Lab lab, double interval)
    : lab_(std::move(lab)), interval_(interval), variant_(comparison_lab(lab_)) {
  start();
}

SimSource::~SimSource() = default;

void SimSource::start() {
  marks_.clear();
  copied_ = 0;
  running_ = false;
  reset_model_ = true;
  error_.clear();
  run_ = std::make_unique<labs::LabRun>(lab_);
  comparison_.clear();
  variant_copied_ = 0;
  try {
    variant_run_ = std::make_unique<labs::LabRun>(variant_.lab);
  } catch (const std::exception& e) {
    variant_run_.reset();
  }
}

std::string SimSource::title() const {
  return "Lab " + std::to_string(lab_.number) + ": " + lab_.title + " (simulator)";
}

std::size_t SimSource::next_step() const noexcept {
  return run_->next_step();
}

bool SimSource::finished() const noexcept {
  return run_->done();
}

void SimSource::perform() {
  if (run_->done()) return;
  try {
    const labs::StepOutcome out = run_->run_next();
    marks_.push_back(
        {out.index, out.first_record, out.end_record, static_cast<bool>(out.exchange.refused)});
  } catch (const std::exception& e) {
    error_ = std::string("step ") + std::to_string(run_->next_step() + 1) + " failed: " + e.what();
    running_ = false;
  }
  moved_ = true;
  catch_up_variant();
}

void SimSource::catch_up_variant() {
  if (!variant_run_) return;
  const std::size_t want = variant_.steps_for(run_->next_step());
  try {
    while (!variant_run_->done() && variant_run_->next_step() < want)
      variant_run_->run_next();
  } catch (const std::exception&) {
    variant_run_.reset();  // the comparison is a bonus: without it the panel shows one column
    return;
  }
  const auto& records = variant_run_->records();
  for (; variant_copied_ < records.size(); ++variant_copied_)
    comparison_.append(records[variant_copied_]);
}

void SimSource::step() {
  running_ = false;
  perform();
}

void SimSource::run() {
  if (run_->done()) return;
  running_ = true;
  next_at_ = 0;  // the first step at once
}

void SimSource::restart() {
  start();
}

void SimSource::poll(TraceModel& model, double now) {
  if (reset_model_) {
    model.clear();
    model.set_header(trace::Record{"", 0, trace::Micros{0},
                                   sim::Simulation::trace_header(labs::make_scenario(lab_))});
    reset_model_ = false;
  }
  if (running_) {
    if (interval_ <= 0) {
      while (!run_->done() && running_)
        perform();
    } else if (now >= next_at_) {
      perform();
      next_at_ = now + interval_;
    }
    if (run_->done()) running_ = false;
  }
  const auto& records = run_->records();
  for (; copied_ < records.size(); ++copied_)
    model.append(records[copied_]);
  if (moved_) {
    model.set_live(true);
    moved_ = false;
  }
}

std::string SimSource::status() const {
  if (!error_.empty()) return error_;
  const std::size_t n = lab_.steps.size();
  const std::size_t done = run_->next_step();
  if (done >= n)
    return "lab " + std::to_string(lab_.number) + ": all " + std::to_string(n) + " steps done";
  return "lab " + std::to_string(lab_.number) + ": step " + std::to_string(done + 1) + " of " +
         std::to_string(n) + (running_ ? " (running)" : " next");
}

}  // namespace pop3::viz
