"""Combat laws fitted to real battles: data loaders, laws, fitting and model choice."""
