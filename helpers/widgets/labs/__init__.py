"""One module per lab, named like the lab's notebook (``content/labs/04_capacity_explorer.py``
is ``capacity_explorer.py``), each with a public function of the same name that builds the lab.
``helpers.widgets`` finds them by themselves: a new module here needs no edit elsewhere."""
