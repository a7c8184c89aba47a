"""The organization: creating it (:mod:`.organizations`), its details and members
(:mod:`.members`), the demo business (:mod:`.demo`) and SQLite backups (:mod:`.backup`)."""
