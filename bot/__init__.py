"""A Discord trivia bot for *All of Us Are Dead*, answering from one Virgin Radio article."""
