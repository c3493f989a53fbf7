#include "app/serve.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "api/http/server.h"
#include "api/rest/api.h"
#include "api/rest/routes.h"
#include "app/data_dir.h"
#include "app/demo.h"
#include "common/crypto.h"
#include "engine/job_files.h"
#include "engine/job_queue.h"
#include "engine/orchestrator.h"
#include "engine/runner_service.h"
#include "runner/runner_pool.h"
#include "store/blob_files.h"
#include "store/log_store.h"
#include "store/sqlite_store.h"
#include "webhooks/deliverer.h"
#include "webhooks/event_builder.h"

namespace halo::app {

int serve(const ServeOptions& o) {
  auto colon = o.listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "halo serve: --listen must be HOST:PORT\n";
    return 2;
  }
  http::ServerOptions http_opts;
  http_opts.host = o.listen.substr(0, colon);
  try {
    int port = std::stoi(o.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    http_opts.port = static_cast<unsigned short>(port);
  } catch (const std::exception&) {
    std::cerr << "halo serve: invalid port in --listen\n";
    return 2;
  }
  http_opts.threads = o.http_threads;

  // Signals are taken synchronously by the main thread; every other thread (and so every
  // job process, which resets its mask) inherits the blocked mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::filesystem::path dir = std::filesystem::absolute(o.data_dir).lexically_normal();
  prepare_data_dir(dir);
  std::string master_key = load_master_key(dir);
  store::SqliteStore store(dir / "halo.db");
  store::LogStore logs(dir / "logs");
  store::BlobFiles blobs(dir / "blobs");
  blobs.remove_leftovers();  // uploads a crash cut short
  std::string admin_token = ensure_admin(store, dir);
  std::string demo_slug;
  if (o.demo) demo_slug = ensure_demo_project(store, dir);

  // Webhook events are built inside the orchestrator's transactions and sent by the
  // deliverer, which outlives every producer (it is stopped before the store goes away).
  webhooks::EventBuilder events(store, o.base_url);
  webhooks::Deliverer deliverer(store, master_key);
  webhooks::Outbound outbound{o.allow_http_webhooks, [&] { deliverer.notify(); }};

  engine::JobQueue queue;
  engine::Orchestrator orchestrator(store, queue, dir);
  orchestrator.set_change_observer(
      [&](const store::WorkflowState& before, store::WorkflowState& after) {
        events.on_change(before, after);
      });
  orchestrator.set_creation_observer(
      [&](const store::Pipeline& p, const std::vector<store::Job>& jobs,
          std::vector<store::OutboxEvent>& out) { events.on_create(p, jobs, out); });
  orchestrator.set_events_committed([&] { deliverer.notify(); });
  orchestrator.set_orb_dir(o.orb_dir.empty() ? dir / "orbs" : std::filesystem::path(o.orb_dir));

  // The real base URL is known once the port is bound; handlers read it from ctx.
  // Cancels reach the runner service once it exists (it needs the bound base URL); before
  // that no job runs, so there is nothing to tell. Set here, before any request can cancel.
  std::atomic<engine::RunnerService*> cancel_target{nullptr};
  orchestrator.set_cancel_listener([&](const std::string& id) {
    if (auto* s = cancel_target.load()) s->on_cancel(id);
  });

  rest::ApiContext ctx(store, logs, orchestrator, o.base_url, master_key);
  ctx.webhooks = &outbound;
  ctx.blobs = &blobs;
  http::Router router = rest::build_router(ctx);
  http::Server server(http_opts, [&](http::Request& req) { return rest::dispatch(router, req); });
  unsigned short port;
  try {
    port = server.start();
  } catch (const std::exception& e) {
    std::cerr << "halo serve: cannot listen on " << o.listen << ": " << e.what() << "\n";
    return 1;
  }
  std::string base = "http://" + http_opts.host + ":" + std::to_string(port);
  if (ctx.base_url.empty()) ctx.base_url = base;
  events.set_base_url(ctx.base_url);

  // Recovery advances workflows (and so writes webhook events, whose URLs need the base
  // URL): it runs once the port is known, before any runner starts. Events left pending by
  // a previous run are in the outbox; the deliverer sends them as it starts.
  engine::RunnerService runner_service(store, logs, queue, orchestrator,
                                       {ctx.base_url, master_key, o.lease_ttl_ms});
  engine::JobFilesOptions files_options;
  files_options.job_upload_limit_bytes = o.job_upload_limit;
  files_options.cache_retention_ms = int64_t{o.cache_retention_days} * 24 * 3600 * 1000;
  files_options.cache_max_total_bytes = o.cache_max_size;
  engine::JobFiles job_files(
      store, blobs, [&](const protocol::Lease& lease) { return runner_service.leased_job(lease); },
      files_options);
  job_files.evict_caches();
  cancel_target = &runner_service;
  // This server's embedded runner holds its leases under the data dir's id: leases held
  // under that name now are its previous incarnation's, whose jobs are certainly gone.
  const std::string runner_id = "embedded-" + load_instance_id(dir);
  runner_service.expire_leases_of(runner_id);
  runner_service.expire_leases();
  orchestrator.recover();
  runner_service.start_reaper();
  deliverer.start();

  // The heartbeat (one extend long poll) stays well inside the lease's lifetime.
  auto heartbeat =
      std::min(std::chrono::milliseconds(10'000), std::chrono::milliseconds(o.lease_ttl_ms / 3));
  std::error_code exe_ec;
  auto self_exe = std::filesystem::read_symlink("/proc/self/exe", exe_ec);
  runner::RunnerPool runner(runner_service, job_files,
                            {runner_id, dir / "work", {dir}, heartbeat, exe_ec ? "" : self_exe});
  runner.start(o.runners);

  write_file_atomic(dir / "server.json",
                    json{{"url", base}, {"port", port}, {"pid", getpid()}}.dump() + "\n", 0600);
  std::printf("halo is serving %s (data in %s)\n", base.c_str(), dir.c_str());
  if (o.demo) {
    std::printf("\nadmin token: %s\n", admin_token.c_str());
    std::printf("demo project: %s\n\ntrigger the demo:\n", demo_slug.c_str());
    std::printf(
        "  curl -s -X POST -H 'Circle-Token: %s' -H 'Content-Type: application/json' \\\n"
        "    -d '{\"branch\":\"main\",\"parameters\":{\"greeting\":\"Hi\"}}' \\\n"
        "    %s/api/v2/project/%s/pipeline\n\n",
        admin_token.c_str(), base.c_str(), demo_slug.c_str());
  }
  std::fflush(stdout);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  spdlog::info("received signal {}; stopping", sig);
  ctx.stopping = true;
  server.stop();
  queue.close();
  runner.stop();
  runner_service.stop();
  cancel_target = nullptr;
  deliverer.stop();
  std::filesystem::remove(dir / "server.json");
  return 0;
}

int print_routes() {
  // The router's handlers only capture the context; a scratch data dir satisfies it.
  std::string templ = (std::filesystem::temp_directory_path() / "halo-routes-XXXXXX").string();
  if (!mkdtemp(templ.data())) {
    std::cerr << "halo routes: cannot create a temporary directory\n";
    return 1;
  }
  std::filesystem::path dir = templ;
  {
    store::SqliteStore store(dir / "halo.db");
    store::LogStore logs(dir / "logs");
    engine::JobQueue queue;
    engine::Orchestrator orchestrator(store, queue, dir);
    rest::ApiContext ctx(store, logs, orchestrator, "", random_token());
    for (const auto& route : rest::build_router(ctx).routes())
      std::cout << route.method << " " << route.pattern << "\n";
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}

}  // namespace halo::app
