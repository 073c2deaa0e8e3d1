"""Bulk import of participants from CSV or XLSX files (issue 4, part 5).

`parsing` turns bytes into a table of text cells, `validation` checks each row and says
what the import would do, `services` stores a previewed file and imports it in one
transaction. A Django app of its own (label `imports`) so that its table and migrations
stay apart from the applications app it feeds."""
