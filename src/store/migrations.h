// The versioned schema of the SQLite store. Migrations are applied in order at start,
// each in its own transaction, and recorded in schema_migrations; never edit a shipped one.
#pragma once
#include "store/sqlite_db.h"

namespace halo::store {

// Applies every migration newer than the database's version. Returns the final version.
int migrate_sqlite(Db& db);

}  // namespace halo::store
