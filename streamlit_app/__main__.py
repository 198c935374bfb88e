"""``python -m streamlit_app [options of streamlit run]``: see :mod:`streamlit_app.serve`."""

from streamlit_app.serve import main

if __name__ == "__main__":
    main()
