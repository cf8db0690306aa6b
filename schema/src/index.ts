export * from './db/index.ts';
export * from './config.ts';
export { openDatabase, databaseStatus, redactUrl } from './database/factory.ts';
export type { DatabaseHandle, DatabaseKind, DatabaseStatus, OpenDatabaseOptions } from './database/factory.ts';
export { assertDurable, DurabilityError, durabilitySettings } from './database/durability.ts';
export { startEmbeddedPostgres, EmbeddedStartError, readPostmasterPid } from './database/embedded.ts';
export type { EmbeddedServer } from './database/embedded.ts';
export { migrations, latestMigration, migrateToLatest, migrationVersion, MigrationError } from './database/migrations.ts';
export * from './contracts/index.ts';
