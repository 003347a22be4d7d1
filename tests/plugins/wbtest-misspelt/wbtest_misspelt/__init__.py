from whizbang_schema import hookimpl


@hookimpl(tryfirst=True)
def whizbang_schema_render_tpye(dialect, column):
    return "TEXT"
