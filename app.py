"""GeoPlan's Streamlit entry point: ``streamlit run app.py`` or ``python -m streamlit_app`` (see
:mod:`streamlit_app.shell` and :mod:`streamlit_app.serve`)."""

from streamlit_app import warmup

warmup.wait()  # the server's start-up imports, when it makes them, are done before this run's

from streamlit_app.shell import main  # noqa: E402

main()
