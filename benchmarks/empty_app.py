"""The floor for the page benchmarks: a Streamlit app that shows one line and one button.

``benchmarks/bench_map.py`` starts it in the same Chromium as GeoPlan: its time from server start
to first paint, and a button's round trip, are what Streamlit itself costs on this machine.
"""

import streamlit as st

st.title("GeoPlan benchmark floor")
if st.button("Again", key="again"):
    st.session_state["clicks"] = st.session_state.get("clicks", 0) + 1
st.markdown(f"clicks: {st.session_state.get('clicks', 0)}")
