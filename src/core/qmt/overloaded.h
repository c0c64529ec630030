#pragma once

namespace qmt {

/// A set of handlers for std::visit: each variant alternative goes to the handler that takes it, and an
/// alternative no handler takes does not compile — adding an event type nobody handles is an error, not a
/// silent drop.
template<typename... Handlers> struct Overloaded : Handlers...
{
    using Handlers::operator()...;
};
template<typename... Handlers> Overloaded(Handlers...) -> Overloaded<Handlers...>;

} // namespace qmt
