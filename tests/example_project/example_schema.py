"""The example application's tables: the outbox and inbox, under the application's prefix."""

from whizbang_schema import SchemaConfiguration
from whizbang_schema.tables import INBOX, OUTBOX

SCHEMA = SchemaConfiguration(prefix="app_", tables=(OUTBOX, INBOX))
