#include <utility>  // before Asio under C++20

#include "cli/alert_webhook.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/log.h"

namespace reach::cli {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

absl::StatusOr<std::unique_ptr<AlertWebhook>> AlertWebhook::Create(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) {
    return absl::InvalidArgumentError("--alert-webhook must be an http:// URL");
  }
  std::string rest = url.substr(kScheme.size());
  std::string path = "/";
  if (size_t slash = rest.find('/'); slash != std::string::npos) {
    path = rest.substr(slash);
    rest.resize(slash);
  }
  std::string host = rest, port = "80";
  if (size_t colon = rest.rfind(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos) {
    return absl::InvalidArgumentError("--alert-webhook: cannot read host and port from " + url);
  }
  return std::unique_ptr<AlertWebhook>(new AlertWebhook(host, port, path));
}

AlertWebhook::AlertWebhook(std::string host, std::string port, std::string path)
    : host_(std::move(host)), port_(std::move(port)), path_(std::move(path)) {
  thread_ = std::thread([this] { Loop(); });
}

AlertWebhook::~AlertWebhook() {
  queue_.Close();
  if (thread_.joinable()) thread_.join();
}

bool AlertWebhook::Send(std::string json) {
  if (queue_.size() >= 256) {
    dropped_.fetch_add(1);
    return false;
  }
  return queue_.Push(json);
}

void AlertWebhook::Loop() {
  while (std::optional<std::string> body = queue_.PopFor(std::chrono::hours(24))) {
    try {
      boost::asio::io_context io;
      tcp::resolver resolver(io);
      beast::tcp_stream stream(io);
      stream.expires_after(std::chrono::seconds(5));
      stream.connect(resolver.resolve(host_, port_));
      bhttp::request<bhttp::string_body> req{bhttp::verb::post, path_, 11};
      req.set(bhttp::field::host, host_);
      req.set(bhttp::field::content_type, "application/json");
      req.set(bhttp::field::user_agent, "reach-alerts");
      req.body() = std::move(*body);
      req.prepare_payload();
      bhttp::write(stream, req);
      beast::flat_buffer buffer;
      bhttp::response<bhttp::string_body> res;
      bhttp::read(stream, buffer, res);
      beast::error_code ec;
      stream.socket().shutdown(tcp::socket::shutdown_both, ec);
      if (res.result_int() >= 300) {
        failed_.fetch_add(1);
        log::warn("alert webhook answered {}", res.result_int());
      } else {
        delivered_.fetch_add(1);
      }
    } catch (const std::exception& e) {
      failed_.fetch_add(1);
      log::warn("alert webhook {}:{}{} failed: {}", host_, port_, path_, e.what());
    }
  }
}

}  // namespace reach::cli
