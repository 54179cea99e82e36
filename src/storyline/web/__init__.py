"""The web pages and the HTML report: view models (``views``), escaped highlighting (``highlight``),
the drawn timeline (``timeline``) and the Jinja2 templates with autoescape on (``pages``)."""
