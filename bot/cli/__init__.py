"""The offline command line: one module per subcommand, registered in `bot.cli.main`.

Each subcommand module exposes `add_parser(subparsers)`, which adds its parser and sets
`handler` (a function taking the parsed arguments and returning the exit code).
"""
