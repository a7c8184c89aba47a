"""A SQLite database that can only be read (a read-only file, a read-only mount): opened with
``mode=ro`` — and ``immutable=1`` when its folder cannot be written either, as SQLite then cannot
keep the write-ahead log's shared memory — so gvia can still read it and back it up
(:func:`gvia.dburl.parse_database_url` chooses this engine when the file cannot be written)."""
