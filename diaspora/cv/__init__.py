"""Reading a CV: its text from a PDF, DOCX or plain-text file (``extraction``), and the taxonomy
skills it names, each with the words that support it and a level when the CV states one
(``spotting``, ``levels``).

Pure Python: imports nothing from flask, sqlalchemy or diaspora.models (the services own the
upload, the review and the saving).
"""
