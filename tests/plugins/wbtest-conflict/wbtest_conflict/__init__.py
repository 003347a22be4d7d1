from whizbang_schema import Capabilities, DialectInfo, hookimpl


@hookimpl
def whizbang_schema_dialects():
    return [
        DialectInfo(
            "sqlite", "another SQLite", Capabilities(partial_indexes=True, transactional_ddl=True)
        )
    ]
