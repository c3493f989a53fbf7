// The server's data directory: its layout, the master key and the first-start admin.
// <data-dir>/halo.db (SQLite), logs/, work/ (job work dirs), repos/ (mirrors),
// master.key and admin-token (both mode 0600), instance-id, server.json (the bound address,
// for tools).
#pragma once
#include <filesystem>
#include <string>

#include "store/store.h"

namespace halo::app {

// Creates the directory (mode 0700) if needed.
void prepare_data_dir(const std::filesystem::path& dir);

// 32 bytes: HALO_MASTER_KEY (64 hex chars) if set, else <dir>/master.key, created at first start.
std::string load_master_key(const std::filesystem::path& dir);

// A stable id for this data dir, created at first start: the embedded runner's lease holder
// name, so that after a crash this server knows which running jobs were its own.
std::string load_instance_id(const std::filesystem::path& dir);

// Ensures the admin user exists. HALO_ADMIN_TOKEN, when set, becomes (or stays) a token of
// the admin; otherwise a random token is made at first start, printed once and written to
// <dir>/admin-token. Returns the token when it is known to this process, else "".
std::string ensure_admin(store::Store& store, const std::filesystem::path& dir);

// Writes a file atomically (temp + rename) with the given mode.
void write_file_atomic(const std::filesystem::path& path, const std::string& content, int mode);

}  // namespace halo::app
