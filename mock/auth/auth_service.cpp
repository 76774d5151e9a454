#include "mock/auth/auth_service.h"

#include "mock/auth/handlers/handlers.h"
#include "mock/auth/identity_provider.h"

namespace pbxmock::mock {
namespace {

struct Route {
  std::string_view operation_id;
  handlers::Handler handler;
};

// The operations of spec/portsip-auth.yaml, in its order: the vendor's 14, then the token
// endpoint of the developer guide.
constexpr Route kRoutes[] = {
    {"retrieveMetadata", handlers::retrieve_metadata},
    {"signInWithCredentials", handlers::sign_in_with_credentials},
    {"signInWithSocialAccount", handlers::sign_in_with_social_account},
    {"signOut", handlers::sign_out},
    {"sendOTP", handlers::send_otp},
    {"verifyOTP", handlers::verify_otp},
    {"forgetPassword", handlers::forget_password},
    {"resetPassword", handlers::reset_password},
    {"refreshToken", handlers::refresh_token},
    {"getUserAuthInfo", handlers::get_user_auth_info},
    {"getLoginStatus", handlers::get_login_status},
    {"login", handlers::login},
    {"loginWithMicrosoft", handlers::login_with_microsoft},
    {"logout", handlers::logout},
    {"requestOAuthToken", handlers::request_oauth_token},
};

}  // namespace

AuthService::AuthService(std::shared_ptr<const Scenario> scenario, Clock& clock, Outbox& outbox, AuthLimits limits)
    : scenario_(std::move(scenario)), clock_(clock), outbox_(outbox), state_(scenario_, clock, limits) {}

const std::vector<std::string>& AuthService::operation_ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> out;
    for (const Route& route : kRoutes) out.emplace_back(route.operation_id);
    return out;
  }();
  return ids;
}

ApiResponse AuthService::handle(const spec::ParsedRequest& request) {
  for (const Route& route : kRoutes) {
    if (route.operation_id != request.operation_id) continue;
    handlers::HandlerContext context{*scenario_, state_, clock_, outbox_, public_origin_};
    return route.handler(context, request);
  }
  auto error = spec::not_found("no operation " + std::string(request.operation_id));
  return ApiResponse::error(error);
}

ApiResponse AuthService::identity_provider(const std::string& method, const std::string& path,
                                           const std::vector<std::pair<std::string, std::string>>& query_or_form) {
  return identity_provider_response(*scenario_, state_, method, path, query_or_form);
}

std::optional<AccessGrant> AuthService::authenticate(std::string_view access_token) {
  return state_.authenticate(access_token);
}

void AuthService::set_public_origin(OriginSettings origin) { public_origin_.set(std::move(origin)); }

void AuthService::reset() { state_.reset(); }

}  // namespace pbxmock::mock
