"""The stages a question goes through, in order, each handing the next one typed value:

normalise (`Normalised`) -> read (`Read`) -> resolve (`Resolved`) -> decide (`Decided`) ->
render (`Answer`). `Engine.answer` runs them top to bottom; `Engine.explain` prints what
each one made of a question. Each stage is a module of its own and can be run alone.
"""
