"""Follow-up and FSE+ justification: dashboards, exports, bilans, exits, collective actions, dossiers."""
