"""GeoPlan's Streamlit entry point: ``streamlit run app.py`` (see :mod:`streamlit_app.shell`)."""

from streamlit_app.shell import main

main()
